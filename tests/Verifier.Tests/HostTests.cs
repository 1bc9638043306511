using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Tests;

public sealed class HostTests(VerifierApp app) : IClassFixture<VerifierApp>
{
    [Fact]
    public async Task The_service_is_live_and_ready_when_its_database_and_bus_answer()
    {
        var client = app.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        // Ready is rightly false while the bus is still connecting just after start-up; it must turn true soon after.
        var ready = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 100 && ready != HttpStatusCode.OK; i++)
        {
            if (i > 0)
                await Task.Delay(100);
            ready = (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, ready);
    }

    [Fact]
    public async Task The_OpenAPI_document_and_reference_page_are_served()
    {
        var client = app.Anonymous();

        var doc = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, doc.StatusCode);
        Assert.Contains("\"openapi\"", await doc.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/reference", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_gives_direct_verification_its_own_body_and_says_which_audience_it_needs()
    {
        var doc = JsonNode.Parse(await app.Anonymous().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        var verify = doc["paths"]!["/api/verify"]!["post"]!;
        var reference = verify["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        var schema = doc["components"]!["schemas"]![reference.Split('/')[^1]]!;
        var properties = schema["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["agreementId", "audience", "end", "nonce", "presentations", "role", "start"], properties);
        Assert.Contains("verifiers/{ODS}", schema["properties"]!["audience"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("audience", verify["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var create = doc["paths"]!["/api/presentation-requests"]!["post"]!;
        var createReference = create["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        Assert.NotEqual(reference, createReference);
    }

    [Fact]
    public void Access_tokens_are_validated_through_the_cache_of_validated_tokens()
    {
        var options = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.IsType<ValidatedTokenCache>(Assert.Single(options.TokenHandlers));
    }
}
