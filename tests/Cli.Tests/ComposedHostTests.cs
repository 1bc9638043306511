using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Passport.Cli.Api;

namespace Passport.Cli.Tests;

/// <summary>The Issuer and the Verifier composed in one host: each request matches one endpoint.</summary>
public sealed class ComposedHostTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>
{
    // Two routes collide when they have the same literal segments and parameters in the same places, whatever the constraints.
    private static string Shape(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s =>
            s.IsSimple && s.Parts[0] is RoutePatternLiteralPart literal ? literal.Content.ToUpperInvariant() : "{}"));

    [Fact]
    public void Every_route_of_the_composed_host_is_unique_for_its_methods()
    {
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/deployments/");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/issuers/{ods}/credential");

        var clashes = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                // A static file is served from one route per content encoding (identity, gzip, br), chosen by Accept-Encoding.
                .Select(method => (Key: $"{method} {Shape(e.RoutePattern)} {e.Metadata.GetMetadata<ContentEncodingMetadata>()?.Value}", e.DisplayName)))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" | ", g.Select(x => x.DisplayName))}")
            .ToList();

        Assert.True(clashes.Count == 0, "Routes that collide:\n" + string.Join('\n', clashes));
    }

    [Theory]
    [InlineData("{\"roles\":[\"hr_issuer\"]}", "organisation", "Give the ODS code of the organisation the user belongs to.")]
    [InlineData("{\"organisation\":\"RHQ\",\"roles\":[\"hr_issuer\",\"nobody\"]}", "roles", "Give one or more of: hr_issuer, org_admin, staff, verifier.")]
    [InlineData("{\"organisation\":\"RHQ\",\"roles\":[\"staff\"]}", "staffId", "A staff token needs the member of staff's id.")]
    public async Task The_development_sign_in_names_what_is_missing_from_a_token_request(string body, string field, string sentence)
    {
        using var http = ServiceClient.CreateHttp(new Uri(host.Url));

        using var response = await http.PostAsync("dev/token", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("validation_failed", (string?)problem["code"]);
        Assert.Equal([field], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(sentence, (string?)problem["errors"]![field]![0]);
    }

    [Theory]
    [InlineData("RXH", "verifier", "api/deployments")]
    [InlineData("RHQ", "hr_issuer", "api/home-deployments")]
    public async Task Each_services_deployment_list_answers_in_the_composed_host(string ods, string role, string path)
    {
        using var http = ServiceClient.CreateHttp(new Uri(host.Url));
        var token = await DevelopmentToken.MintAsync(new ServiceClient(http), ods, role, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not UTF-8", "invalid_utf8")]
    [InlineData("a member twice", "duplicate_member")]
    [InlineData("a NUL", "control_character")]
    [InlineData("null", "body_not_object")]
    public async Task Every_json_write_of_the_composed_host_refuses_a_lenient_body_before_it_is_read(string flaw, string code)
    {
        byte[] body = flaw switch
        {
            "not UTF-8" => [.. "{\"name\":\""u8.ToArray(), 0xFF, .. "\"}"u8.ToArray()],
            "a member twice" => "{\"name\":\"a\",\"name\":\"b\"}"u8.ToArray(),
            "a NUL" => "{\"name\":\"a\\u0000b\"}"u8.ToArray(),
            _ => "null"u8.ToArray(),
        };
        using var http = ServiceClient.CreateHttp(new Uri(host.Url));
        // Every role at once, staff included (a linked member of staff), so that each write passes its authorization and
        // reaches the body check.
        using var api = new Api(host);
        var (staffId, _) = await api.HealthcareAssistantAsync();
        using var mint = await http.PostAsync("dev/token", new StringContent(
            $"{{\"organisation\":\"RHQ\",\"roles\":[\"hr_issuer\",\"org_admin\",\"verifier\",\"staff\"],\"staffId\":\"{staffId}\"}}",
            System.Text.Encoding.UTF8, "application/json"));
        var token = (string)System.Text.Json.Nodes.JsonNode.Parse(await mint.Content.ReadAsStringAsync())!["accessToken"]!;
        var writes = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Any(m => m is "POST" or "PUT" or "PATCH") == true)
            .ToList();
        Assert.True(writes.Count > 20, $"Only {writes.Count} write endpoints found.");

        var wrong = new List<string>();
        foreach (var endpoint in writes)
        {
            var path = string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => segment.Parts[0] switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart p when p.Name == "ods" => "RHQ",
                RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.NewGuid().ToString(),
                RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content == "int") => "1",
                _ => "x",
            }));
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.First(m => m is "POST" or "PUT" or "PATCH");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            // The wallet endpoints read their own bodies, after the access token, and answer in OAuth's format.
            var ownReader = endpoint.Metadata.GetMetadata<Passport.ServiceDefaults.ReadsOwnJsonBody>() is not null;
            var refused = ownReader
                ? (int)response.StatusCode is >= 400 and < 500
                : response.StatusCode == HttpStatusCode.BadRequest && text.Contains($"\"code\":\"{code}\"", StringComparison.Ordinal);
            if (!refused)
                wrong.Add($"{method} /{path}: {(int)response.StatusCode} {text[..Math.Min(text.Length, 200)]}");
        }

        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }
}
