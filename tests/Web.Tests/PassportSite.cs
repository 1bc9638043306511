extern alias HostAssembly;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Passport.Testing;

namespace Passport.Web.Tests;

/// <summary>
/// The composed host (<c>src/Host</c>: Issuer, Verifier and the web pages in one process) on a real Kestrel port, on
/// PostgreSQL (a database each for the Issuer and the Verifier) and RabbitMQ (a virtual host of its own), trusting the
/// in-test <see cref="IdentityProvider"/> for API calls and signing people in to the pages through it. Browse it at
/// <see cref="Url"/>. It starts with the demo organisations (RHQ and RXH, by name) and RXH's agreement with RHQ; each
/// test makes the staff and everything else it needs (<see cref="Scene"/>, <see cref="ApiAsync"/>).
/// </summary>
public sealed class PassportSite : WebApplicationFactory<HostAssembly::Program>, IAsyncLifetime
{
    /// <summary>The pages' client at the identity provider (a confidential client, as at Entra ID).</summary>
    public const string WebClientId = "passport-web";

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("passport-web-tests-");
    private readonly string _webClientSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public PassportSite()
    {
        // Chosen up front: the issuer and verifier identifiers, and the client's redirect URI, name the port.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(kestrel => kestrel.ListenLocalhost(Port));
    }

    public int Port { get; }

    /// <summary>
    /// The site's address. <c>localhost</c> where the provider is at <c>127.0.0.1</c>: another site to the browser, so
    /// sign-in crosses sites as it does with a real provider, and Chromium still keeps Secure cookies on plain http.
    /// </summary>
    public Uri Url => new($"http://localhost:{Port}/");

    public IdentityProvider Provider { get; } = new();
    public RabbitMqBroker Broker { get; } = new();
    public PostgresDatabase IssuerDatabase { get; } = new();
    public PostgresDatabase VerifierDatabase { get; } = new();

    /// <summary>Extra or overriding settings; set before the host starts (in the fixture, not in a test).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        var url = Url.ToString();
        // UseSetting, not ConfigureAppConfiguration: Program reads the database and bus settings while building the host.
        foreach (var (key, value) in Provider.ServiceSettings().Concat(new Dictionary<string, string?>
        {
            ["Passport:DataFolder"] = _data.FullName,
            ["Passport:PublicBaseUrl"] = url,
            ["Issuer:PublicBaseUrl"] = url,
            ["Issuer:Database:Provider"] = "Postgres",
            ["Issuer:Database:ConnectionString"] = IssuerDatabase.ConnectionString,
            ["Issuer:Keys:Provider"] = "Local",
            ["Issuer:Keys:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Verifier:PublicBaseUrl"] = url,
            ["Verifier:Database:Provider"] = "Postgres",
            ["Verifier:Database:ConnectionString"] = VerifierDatabase.ConnectionString,
            ["Verifier:Trust:IssuerBaseUrl"] = url,
            ["Verifier:Trust:AllowHttp"] = "true",
            ["Verifier:Trust:AllowPrivateNetworks"] = "true",
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq"] = Broker.Address.ToString(),
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:MaxBackoff"] = "00:00:01",
            ["Web:Oidc:Authority"] = Provider.Authority.ToString(),
            ["Web:Oidc:ClientId"] = WebClientId,
            ["Web:Oidc:ClientSecret"] = _webClientSecret,
            ["Web:Oidc:Scopes:0"] = IdentityProvider.PassportApiScope,
            ["Web:Oidc:RequireHttpsMetadata"] = "false",
        }).Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Provider.InitializeAsync(), Broker.InitializeAsync(), IssuerDatabase.InitializeAsync(), VerifierDatabase.InitializeAsync());
        Provider.AddClient(new TestClient(WebClientId, _webClientSecret, [new Uri(Url, "signin-oidc")], [new Uri(Url, "signout-callback-oidc")]));
        // The host migrates both databases before it starts listening.
        StartServer();
        // MassTransit's hosted service returns before the queues are bound, and an event published to an exchange with no
        // queue yet is dropped by RabbitMQ: wait for the bus.
        var health = await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
            throw new InvalidOperationException("The composed host's bus did not become healthy within 60 s.");
        await Scene.SeedOrganisationsAsync(this);
    }

    /// <summary>A client of the site's API over HTTP, with an access token <paramref name="user"/> got through the provider's code flow.</summary>
    public async Task<HttpClient> ApiAsync(TestUser user)
    {
        var (accessToken, _) = await Provider.SignInAsync(user);
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>
    /// Signs <paramref name="user"/> in to the pages as a person does: the site's sign-in page, "Sign in with your
    /// organisation", the provider's login page; the browser ends on <paramref name="returnPath"/>.
    /// </summary>
    public async Task SignInAsync(IPage page, TestUser user, string returnPath = "/")
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(new Uri(Url, $"sign-in?returnUrl={Uri.EscapeDataString(returnPath)}").ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your organisation" }).ClickAsync();
        await Provider.ChooseOnLoginPageAsync(page, user);
        await page.WaitForURLAsync(new Uri(Url, returnPath.TrimStart('/')).ToString());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Provider.DisposeAsync();
        await VerifierDatabase.DisposeAsync();
        await IssuerDatabase.DisposeAsync();
        await Broker.DisposeAsync();
        _data.Delete(recursive: true);
    }
}
