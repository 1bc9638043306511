using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;
using Passport.Testing;
using Passport.Verifier;
using Passport.Verifier.Data;

namespace Passport.Journey.Tests;

/// <summary>
/// The Issuer and the Verifier as two services, each on its own PostgreSQL database, sharing one RabbitMQ virtual host
/// and one identity provider. The Issuer listens on a real loopback port, because the Verifier fetches its issuer
/// metadata and status lists over HTTP, as it would across organisations.
/// </summary>
public class TwoServices : IAsyncLifetime
{
    public TestTokens Tokens { get; } = new();
    public RabbitMqBroker Broker { get; } = new();
    public PostgresDatabase IssuerDatabase { get; } = new();
    public PostgresDatabase VerifierDatabase { get; } = new();
    public IssuerHost Issuer { get; private set; } = null!;
    public VerifierHost Verifier { get; private set; } = null!;

    /// <summary>Settings applied to both services over the defaults; set them before <see cref="InitializeAsync"/>.</summary>
    public Dictionary<string, string?> Overrides { get; } = new(StringComparer.Ordinal);

    /// <summary>Where both services keep their data: PostgreSQL, as in production, unless a subclass chooses the embedded default.</summary>
    public virtual DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>The SQLite files' folder, when <see cref="Provider"/> is SQLite.</summary>
    private string? _sqliteFolder;

    internal (string Provider, string ConnectionString) IssuerStore => Provider == DatabaseProvider.Postgres
        ? (nameof(DatabaseProvider.Postgres), IssuerDatabase.ConnectionString)
        : (nameof(DatabaseProvider.Sqlite), $"Data Source={Path.Combine(_sqliteFolder!, "issuer.db")}");

    internal (string Provider, string ConnectionString) VerifierStore => Provider == DatabaseProvider.Postgres
        ? (nameof(DatabaseProvider.Postgres), VerifierDatabase.ConnectionString)
        : (nameof(DatabaseProvider.Sqlite), $"Data Source={Path.Combine(_sqliteFolder!, "verifier.db")}");

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        if (Provider == DatabaseProvider.Postgres)
        {
            await IssuerDatabase.InitializeAsync();
            await VerifierDatabase.InitializeAsync();
            await using (var db = new IssuerDbContext(new DbContextOptionsBuilder<IssuerDbContext>()
                .UseNpgsql(IssuerDatabase.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", IssuerDbContext.Schema)).Options))
                await db.Database.MigrateAsync();
            await using (var db = new VerifierDbContext(new DbContextOptionsBuilder<VerifierDbContext>()
                .UseNpgsql(VerifierDatabase.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options))
                await db.Database.MigrateAsync();
        }
        else
        {
            _sqliteFolder = Directory.CreateTempSubdirectory("passport-journey-").FullName;
            await using (var db = new SqliteIssuerDbContext(new DbContextOptionsBuilder<SqliteIssuerDbContext>().UseSqlite(IssuerStore.ConnectionString).Options))
                await db.Database.MigrateAsync();
            await using (var db = new SqliteVerifierDbContext(new DbContextOptionsBuilder<SqliteVerifierDbContext>().UseSqlite(VerifierStore.ConnectionString).Options))
                await db.Database.MigrateAsync();
        }
        Issuer = new IssuerHost(this);
        Verifier = new VerifierHost(this, Issuer.PublicBaseUrl);
        _ = Issuer.Services;
        _ = Verifier.Services;
        // The services run on the provider this fixture names, not on a default they fell back to.
        using (var scope = Issuer.Services.CreateScope())
            EnsureProvider(scope.ServiceProvider.GetRequiredService<IssuerDbContext>(), "Issuer");
        using (var scope = Verifier.Services.CreateScope())
            EnsureProvider(scope.ServiceProvider.GetRequiredService<VerifierDbContext>(), "Verifier");
    }

    private void EnsureProvider(DbContext db, string service)
    {
        var sqlite = db.Database.IsSqlite();
        if (sqlite != (Provider == DatabaseProvider.Sqlite))
            throw new InvalidOperationException($"The {service} runs on {db.Database.ProviderName}, not on {Provider}.");
    }

    /// <summary>Stops the Verifier as a crash or a deployment would; <see cref="StartVerifier"/> brings a new instance up on the same database.</summary>
    public async Task StopVerifierAsync() => await Verifier.DisposeAsync();

    public void StartVerifier()
    {
        Verifier = new VerifierHost(this, Issuer.PublicBaseUrl);
        _ = Verifier.Services;
    }

    public async Task DisposeAsync()
    {
        await Verifier.DisposeAsync();
        await Issuer.DisposeAsync();
        if (Provider == DatabaseProvider.Postgres)
        {
            await VerifierDatabase.DisposeAsync();
            await IssuerDatabase.DisposeAsync();
        }
        else if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }
        await Broker.DisposeAsync();
        Tokens.Dispose();
    }

    internal static void Apply(IWebHostBuilder builder, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    internal IEnumerable<KeyValuePair<string, string?>> Common => Tokens.Settings.Concat(new Dictionary<string, string?>
    {
        ["Bus:Transport"] = nameof(BusTransport.RabbitMq),
        ["Bus:RabbitMq"] = Broker.Address.ToString(),
        ["Outbox:PollInterval"] = "00:00:00.200",
        ["Outbox:MaxBackoff"] = "00:00:01",
    }).Concat(TestRateLimits.Settings);

    public HttpClient Client(WebApplicationFactoryClientOptions? options, Func<WebApplicationFactoryClientOptions, HttpClient> create, string ods, string role, Guid? staffId = null)
    {
        var client = create(options ?? new WebApplicationFactoryClientOptions());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(ods, [role], staffId));
        return client;
    }
}

public sealed class IssuerHost : WebApplicationFactory<IssuerOptions>
{
    private readonly TwoServices _services;

    public IssuerHost(TwoServices services)
    {
        _services = services;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(Port);
    }

    public int Port { get; }
    public string PublicBaseUrl => $"http://127.0.0.1:{Port}/";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // The hosted wallet fetches request objects and posts answers to the Verifier, which runs in this process with no socket.
        builder.ConfigureTestServices(s => s.AddHttpClient("hosted-wallet").ConfigurePrimaryHttpMessageHandler(() => new ToVerifier(_services)));
        ApplySettings(builder);
    }

    private sealed class ToVerifier(TwoServices services) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // The Issuer listens on a real socket: a placement offer the hosted wallet collects is fetched from it over HTTP.
            if (request.RequestUri is { } uri && uri.Authority == $"127.0.0.1:{services.Issuer.Port}")
            {
                using var socket = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
                return await socket.SendAsync(request, cancellationToken);
            }
            using var invoker = new HttpMessageInvoker(services.Verifier.Server.CreateHandler());
            return await invoker.SendAsync(request, cancellationToken);
        }
    }

    private void ApplySettings(IWebHostBuilder builder) => TwoServices.Apply(builder, _services.Common.Concat(new Dictionary<string, string?>
    {
        ["Issuer:PublicBaseUrl"] = PublicBaseUrl,
        // A one-second ttl, so the test can watch a verifier's cached status list give way to the new one.
        ["Issuer:StatusListTtl"] = "00:00:01",
        ["Issuer:Database:Provider"] = _services.IssuerStore.Provider,
        ["Issuer:Database:ConnectionString"] = _services.IssuerStore.ConnectionString,
    }).Concat(_services.Overrides));

    public HttpClient As(string ods, string role, Guid? staffId = null) =>
        _services.Client(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl) }, CreateClient, ods, role, staffId);

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl) });
}

public sealed class VerifierHost(TwoServices services, string issuerBaseUrl) : WebApplicationFactory<VerifierOptions>
{
    public const string PublicBaseUrl = "https://verifier.journey.passport.nhs.uk/";

    protected override void ConfigureWebHost(IWebHostBuilder builder) => TwoServices.Apply(builder, services.Common.Concat(new Dictionary<string, string?>
    {
        ["Verifier:PublicBaseUrl"] = PublicBaseUrl,
        ["Verifier:Database:Provider"] = services.VerifierStore.Provider,
        ["Verifier:Database:ConnectionString"] = services.VerifierStore.ConnectionString,
        ["Verifier:Trust:IssuerBaseUrl"] = issuerBaseUrl,
        ["Verifier:Trust:AllowHttp"] = "true",
        ["Verifier:Trust:AllowPrivateNetworks"] = "true",
    }).Concat(services.Overrides));

    public HttpClient As(string ods, string role) =>
        services.Client(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl) }, CreateClient, ods, role);
}

/// <summary>
/// The same two services on the embedded default, SQLite (one file each), with the real RabbitMQ: the first-run provider is
/// proved by the same journey, not only by the command-line tests.
/// </summary>
public sealed class TwoServicesOnSqlite : TwoServices
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}
