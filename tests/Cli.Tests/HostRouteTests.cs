using System.Net;
using System.Net.Http.Headers;

namespace Passport.Cli.Tests;

public sealed class HostRouteTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>
{
    [Fact]
    public async Task The_embedded_host_answers_the_home_organisations_and_the_host_organisations_deployment_lists_apart()
    {
        using var http = new HttpClient { BaseAddress = new Uri(host.Url) };
        var hr = (await Cli.RunAsync("token", "--url", host.Url, "--org", "RHQ", "--role", "hr_issuer")).Output.Trim();
        var verifier = (await Cli.RunAsync("token", "--url", host.Url, "--org", "RXH", "--role", "verifier")).Output.Trim();

        using var home = new HttpRequestMessage(HttpMethod.Get, "/api/home-deployments") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", hr) } };
        using var hosted = new HttpRequestMessage(HttpMethod.Get, "/api/deployments") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", verifier) } };
        using var homeResponse = await http.SendAsync(home);
        using var hostedResponse = await http.SendAsync(hosted);

        Assert.Equal(HttpStatusCode.OK, homeResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hostedResponse.StatusCode);
    }
}
