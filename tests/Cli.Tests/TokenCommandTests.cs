using System.Net;
using System.Net.Sockets;

namespace Passport.Cli.Tests;

public sealed class TokenCommandTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>
{
    [Fact]
    public async Task The_token_command_prints_a_development_token_from_a_development_host()
    {
        var (exit, output) = await Cli.RunAsync("token", "--url", host.Url, "--org", "RHQ", "--role", "hr_issuer");

        Assert.Equal(0, exit);
        Assert.Equal(3, output.Trim().Split('.').Length);
    }

    [Fact]
    public async Task A_development_staff_token_reads_that_member_of_staffs_passport_because_the_development_sign_in_links_the_record()
    {
        using var api = new Api(host);
        var (staffId, _) = await api.HealthcareAssistantAsync();

        var (exit, output) = await Cli.RunAsync("token", "--url", host.Url, "--org", "RHQ", "--role", "staff", "--staff-id", staffId.ToString());
        Assert.Equal(0, exit);
        using var http = Passport.Cli.Api.ServiceClient.CreateHttp(new Uri(host.Url));
        var passport = await new Passport.Cli.Api.ServiceClient(http).As(output.Trim()).GetAsync("api/me/passport", "passport", CancellationToken.None);

        Assert.Equal(staffId.ToString(), passport["staffId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_token_command_says_clearly_that_a_host_without_development_tokens_has_none()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var server = NotFoundServer.RunAsync(listener, stop.Token);

        var (exit, output) = await Cli.RunAsync("token", "--url", $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}", "--org", "RHQ", "--role", "hr_issuer");
        await stop.CancelAsync();
        await server;

        Assert.Equal(1, exit);
        Assert.Contains("only on the embedded host", output, StringComparison.Ordinal);
        Assert.Contains("Development environment", output, StringComparison.Ordinal);
    }
}
