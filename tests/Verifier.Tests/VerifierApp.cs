using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Verifier;
using Passport.Verifier.Data;
using Passport.ServiceDefaults;
using Passport.Testing;

namespace Passport.Verifier.Tests;

/// <summary>
/// The Verifier service in-process, on a PostgreSQL database and a RabbitMQ virtual host of its own,
/// migrated on start and dropped after; callers authenticate with real signed tokens.
/// </summary>
public sealed class VerifierApp : WebApplicationFactory<VerifierOptions>, IAsyncLifetime
{
    public const string PublicBaseUrl = "https://verifier.test.passport.nhs.uk/";

    public PostgresDatabase Database { get; } = new();
    public RabbitMqBroker Broker { get; } = new();
    public TestTokens Tokens { get; } = new();

    /// <summary>Extra settings a test class needs (for example a Key Vault stand-in's address).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public Action<IServiceCollection>? ConfigureServicesForTest { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads the database and bus settings while building the host.
        foreach (var (key, value) in Tokens.Settings.Concat(new Dictionary<string, string?>
        {
            ["Verifier:PublicBaseUrl"] = PublicBaseUrl,
            ["Verifier:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Verifier:Database:ConnectionString"] = Database.ConnectionString,
            ["Bus:Transport"] = nameof(BusTransport.RabbitMq),
            ["Bus:RabbitMq"] = Broker.Address.ToString(),
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
        await Broker.InitializeAsync();
        // Migrate before the host starts, so its outbox dispatcher never meets a database without tables.
        var options = new DbContextOptionsBuilder<VerifierDbContext>()
            .UseNpgsql(Database.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options;
        await using (var db = new VerifierDbContext(options))
            await db.Database.MigrateAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
        Tokens.Dispose();
    }

    /// <summary>A client that calls as someone with these roles in this organisation.</summary>
    public HttpClient ClientFor(string odsCode, string role, Guid? staffId = null, string? subject = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl) });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(odsCode, [role], staffId, subject));
        return client;
    }

    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicBaseUrl) });

    public async Task<T> WithDbAsync<T>(Func<VerifierDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<VerifierDbContext>());
    }
}
