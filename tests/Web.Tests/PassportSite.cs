extern alias HostAssembly;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    private readonly DirectoryInfo _data = System.IO.Directory.CreateTempSubdirectory("passport-web-tests-");
    private readonly string _webClientSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    private readonly X509Certificate2 _certificate = LocalhostCertificate();

    public PassportSite()
    {
        // Chosen up front: the issuer and verifier identifiers, and the client's redirect URI, name the ports.
        (ServicePort, Port) = TwoFreePorts();
        UseKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(ServicePort);
            kestrel.ListenLocalhost(Port, listen => listen.UseHttps(_certificate));
        });
    }

    /// <summary>The browser's port: https, as people reach the site through the ingress in production.</summary>
    public int Port { get; }

    /// <summary>The services' port: plain http on this machine, for wallets, the Verifier's fetches and the tests' API calls.</summary>
    public int ServicePort { get; }

    /// <summary>
    /// The site's address in the browser: https (a certificate made for the run, which the test browser accepts), since
    /// the pages keep their cookies Secure and refuse forms over plain http outside Development. <c>localhost</c> where
    /// the provider is at <c>127.0.0.1</c>: another site to the browser, so sign-in crosses sites as with a real provider.
    /// </summary>
    public Uri Url => new($"https://localhost:{Port}/");

    /// <summary>
    /// The Issuer's and the Verifier's public base URL (their identifiers, offer and request links, status lists): what
    /// wallets and the Verifier's trust fetches reach, and what <see cref="ApiAsync"/> calls.
    /// </summary>
    public Uri ServiceUrl => new($"http://localhost:{ServicePort}/");

    public IdentityProvider Provider { get; } = new();

    /// <summary>
    /// Where the site's e-mails go: a real SMTP server in the test. Staff made by <see cref="Scene"/> have an address of their own
    /// (<see cref="TestUser.Email"/>); HR at RHQ's messages go to <see cref="HrContact"/> and RXH's staffing team's to
    /// <see cref="StaffingContact"/>. Links in messages point at <see cref="Url"/>.
    /// </summary>
    public TestSmtpServer Smtp { get; } = new();

    public const string HrContact = "hr.team@northgate.test";
    public const string StaffingContact = "staffing@eastbrook.test";

    public RabbitMqBroker Broker { get; } = new();
    public PostgresDatabase IssuerDatabase { get; } = new();
    public PostgresDatabase VerifierDatabase { get; } = new();

    /// <summary>Extra or overriding settings; set before the host starts (in the fixture, not in a test).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        // The pages' assets (the NHS.UK frontend) come from src/Web's wwwroot through the build's static web assets
        // manifest, which ASP.NET Core reads by itself only in Development.
        builder.UseStaticWebAssets();
        var url = ServiceUrl.ToString();
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
            ["Issuer:HostedWallet:AllowHttp"] = "true",
            ["Issuer:HostedWallet:AllowPrivateNetworks"] = "true",
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq"] = Broker.Address.ToString(),
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:MaxBackoff"] = "00:00:01",
            ["Web:Oidc:Authority"] = Provider.Authority.ToString(),
            ["Web:Oidc:ClientId"] = WebClientId,
            ["Web:Oidc:ClientSecret"] = _webClientSecret,
            ["Web:Oidc:Scopes:0"] = IdentityProvider.PassportApiScope,
            ["Web:Oidc:RequireHttpsMetadata"] = "false",
        }).Concat(Smtp.Settings).Concat(new Dictionary<string, string?>
        {
            ["Notifications:WebBaseUrl"] = Url.ToString(),
            [$"Notifications:Contacts:{Scene.HomeOds}:hr_issuer:0"] = HrContact,
            [$"Notifications:Contacts:{Scene.HostOds}:verifier:0"] = StaffingContact,
        }).Concat(TestRateLimits.Settings).Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Provider.InitializeAsync(), Broker.InitializeAsync(), IssuerDatabase.InitializeAsync(), VerifierDatabase.InitializeAsync());
        Provider.AddClient(new TestClient(WebClientId, _webClientSecret,
            [new Uri(Url, "signin-oidc"), new Uri(ServiceUrl, "signin-oidc")],
            [new Uri(Url, "signout-callback-oidc"), new Uri(ServiceUrl, "signout-callback-oidc")]));
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
        var client = new HttpClient { BaseAddress = ServiceUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>A plain client of the pages over https that trusts this run's localhost certificate and no other.</summary>
    public HttpClient PagesClient()
    {
        var thumbprint = _certificate.Thumbprint;
#pragma warning disable CA2000 // The client owns and disposes its handler.
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                string.Equals(certificate?.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase),
        };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Signs <paramref name="user"/> in to the pages as a person does: the site's sign-in (which goes straight to the
    /// provider outside Development, or offers "Sign in with your organisation"), the provider's login page; the browser
    /// ends on <paramref name="returnPath"/>.
    /// </summary>
    public async Task SignInAsync(IPage page, TestUser user, string returnPath = "/")
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(user);
        await page.GotoAsync(new Uri(Url, $"sign-in?returnUrl={Uri.EscapeDataString(returnPath)}").ToString());
        if (!page.Url.StartsWith(new Uri(Provider.Authority, "login").ToString(), StringComparison.Ordinal))
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
        await Smtp.DisposeAsync();
        _data.Delete(recursive: true);
        _certificate.Dispose();
    }

    private static (int, int) TwoFreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }

    private static X509Certificate2 LocalhostCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
