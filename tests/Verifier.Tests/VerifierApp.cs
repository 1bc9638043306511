using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
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
        builder.ConfigureAppConfiguration(config =>
        {
            config.AddInMemoryCollection(Tokens.Settings);
            config.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Verifier:PublicBaseUrl"] = PublicBaseUrl,
                ["Verifier:Database:Provider"] = nameof(DatabaseProvider.Postgres),
                ["Verifier:Database:ConnectionString"] = Database.ConnectionString,
                ["Bus:Transport"] = nameof(BusTransport.RabbitMq),
                ["Bus:RabbitMq"] = Broker.Address.ToString(),
                ["Outbox:PollInterval"] = "00:00:00.200",
            });
            config.AddInMemoryCollection(Settings);
        });
        builder.ConfigureServices(services => ConfigureServicesForTest?.Invoke(services));
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        await Services.MigrateVerifierAsync();
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
