using System.Net.Http.Headers;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;
using Passport.Testing;
using Passport.Verifier;
using Passport.Verifier.Data;

namespace Passport.Events.Tests;

/// <summary>
/// One Passport service in-process on a PostgreSQL database of its own and a RabbitMQ virtual host that the caller may
/// share with another service, so that both hear each other's events as they do in production.
/// </summary>
public abstract class ServiceApp<TEntry, TContext>(string section, RabbitMqBroker broker, TestTokens tokens) : WebApplicationFactory<TEntry>
    where TEntry : class
    where TContext : DbContext
{
    public PostgresDatabase Database { get; } = new();
    public RabbitMqBroker Broker => broker;
    public Dictionary<string, string?> Settings { get; } = [];
    public Action<IServiceCollection>? ConfigureServicesForTest { get; set; }

    protected abstract string PublicBaseUrl { get; }
    protected abstract TContext NewContext(DbContextOptions<TContext> options);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in tokens.Settings.Concat(new Dictionary<string, string?>
        {
            [$"{section}:PublicBaseUrl"] = PublicBaseUrl,
            [$"{section}:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            [$"{section}:Database:ConnectionString"] = Database.ConnectionString,
            ["Bus:Transport"] = nameof(BusTransport.RabbitMq),
            ["Bus:RabbitMq"] = broker.Address.ToString(),
            ["Bus:RetryLimit"] = "1",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:MaxBackoff"] = "00:00:01",
        }).Concat(Settings))
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => ConfigureServicesForTest?.Invoke(services));
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        var schema = typeof(TContext) == typeof(IssuerDbContext) ? IssuerDbContext.Schema : VerifierDbContext.Schema;
        var options = new DbContextOptionsBuilder<TContext>()
            .UseNpgsql(Database.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", schema)).Options;
        await using (var db = NewContext(options))
            await db.Database.MigrateAsync();
        // Start the service and wait for its bus: MassTransit's hosted service returns before the queues are declared and
        // bound, and an event published to an exchange with no queue yet is dropped by RabbitMQ.
        var health = await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        if (health != BusHealthStatus.Healthy)
            throw new InvalidOperationException($"The {section} service's bus did not become healthy within 60 s.");
    }

    public async Task DestroyAsync()
    {
        await DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient ClientFor(string odsCode, string role)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Mint(odsCode, [role]));
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<TContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TContext>());
    }
}

public sealed class IssuerService(RabbitMqBroker broker, TestTokens tokens) : ServiceApp<IssuerOptions, IssuerDbContext>("Issuer", broker, tokens)
{
    public const string BaseUrl = "https://issuer.events.test/";

    protected override string PublicBaseUrl => BaseUrl;

    protected override IssuerDbContext NewContext(DbContextOptions<IssuerDbContext> options) => new(options);
}

public sealed class VerifierService(RabbitMqBroker broker, TestTokens tokens) : ServiceApp<VerifierOptions, VerifierDbContext>("Verifier", broker, tokens)
{
    protected override string PublicBaseUrl => "https://verifier.events.test/";

    protected override VerifierDbContext NewContext(DbContextOptions<VerifierDbContext> options) => new(options);
}
