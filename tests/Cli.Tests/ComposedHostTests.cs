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
                .Select(method => (Key: $"{method} {Shape(e.RoutePattern)}", e.DisplayName)))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(" | ", g.Select(x => x.DisplayName))}")
            .ToList();

        Assert.True(clashes.Count == 0, "Routes that collide:\n" + string.Join('\n', clashes));
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
}
