using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Passport.Testing;

/// <summary>
/// One Passport service in-process on a PostgreSQL database of its own, migrated before the host starts and dropped after,
/// and a RabbitMQ virtual host: its own, or one the caller shares between services so that they hear each other's events
/// as in production. Callers authenticate with real signed tokens.
/// </summary>
public abstract class ServiceApp<TEntry, TContext> : WebApplicationFactory<TEntry>, IAsyncLifetime
    where TEntry : class
    where TContext : DbContext
{
    private readonly string _section;
    private readonly string _schema;
    private readonly bool _ownsBrokerAndTokens;

    /// <param name="section">The service's configuration section: <c>Issuer</c> or <c>Verifier</c>.</param>
    /// <param name="schema">Its database schema, for the migrations history table.</param>
    /// <param name="broker">A virtual host shared with another service; by default the service gets one of its own.</param>
    /// <param name="tokens">The token issuer shared with that service.</param>
    protected ServiceApp(string section, string schema, RabbitMqBroker? broker = null, TestTokens? tokens = null)
    {
        (_section, _schema) = (section, schema);
        _ownsBrokerAndTokens = broker is null;
        Broker = broker ?? new RabbitMqBroker();
        Tokens = tokens ?? new TestTokens();
    }

    public PostgresDatabase Database { get; } = new();
    public RabbitMqBroker Broker { get; }
    public TestTokens Tokens { get; }

    /// <summary>Extra settings a test class needs (for example a Key Vault stand-in's address); set before the host starts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public Action<IServiceCollection>? ConfigureServicesForTest { get; set; }

    /// <summary>The service's public base URL, which its identifiers and published URIs are built on.</summary>
    protected abstract string BaseUrl { get; }

    protected abstract TContext NewContext(DbContextOptions<TContext> options);

    /// <summary>
    /// Whether <see cref="InitializeAsync"/> starts the host and waits for its bus; otherwise the first request starts it,
    /// so that a test class can still add settings.
    /// </summary>
    protected virtual bool StartOnInitialize => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads the database and bus settings while building the host.
        foreach (var (key, value) in Tokens.Settings.Concat(new Dictionary<string, string?>
        {
            [$"{_section}:PublicBaseUrl"] = BaseUrl,
            [$"{_section}:Database:Provider"] = "Postgres",
            [$"{_section}:Database:ConnectionString"] = Database.ConnectionString,
            ["Bus:Transport"] = "RabbitMq",
            ["Bus:RabbitMq"] = Broker.Address.ToString(),
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:MaxBackoff"] = "00:00:01",
        }).Concat(TestRateLimits.Settings).Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => ConfigureServicesForTest?.Invoke(services));
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        if (_ownsBrokerAndTokens)
            await Broker.InitializeAsync();
        // Migrate before the host starts, so its outbox dispatcher never meets a database without tables.
        var options = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql(Database.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", _schema)).Options;
        await using (var db = NewContext(options))
            await db.Database.MigrateAsync();
        if (!StartOnInitialize)
            return;
        // MassTransit's hosted service returns before the queues are declared and bound, and an event published to an
        // exchange with no queue yet is dropped by RabbitMQ: wait for the bus.
        var health = await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
            throw new InvalidOperationException($"The {_section} service's bus did not become healthy within 60 s.");
    }

    /// <summary>Stops the service and drops its database, and its virtual host unless it was shared.</summary>
    public async Task DestroyAsync()
    {
        await DisposeAsync();
        if (_ownsBrokerAndTokens)
            await Broker.DisposeAsync();
        await Database.DisposeAsync();
        if (_ownsBrokerAndTokens)
            Tokens.Dispose();
    }

    Task IAsyncLifetime.DisposeAsync() => DestroyAsync();

    /// <summary>A client that calls as someone with this role in this organisation.</summary>
    public HttpClient ClientFor(string odsCode, string role, Guid? staffId = null, string? subject = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(BaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(odsCode, [role], staffId, subject));
        return client;
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(BaseUrl) });

    public async Task<T> WithDbAsync<T>(Func<TContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TContext>());
    }
}
