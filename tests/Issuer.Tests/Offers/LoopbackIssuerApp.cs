using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.ServiceDefaults;
using Passport.Testing;

namespace Passport.Issuer.Tests.Offers;

/// <summary>
/// The Issuer on a real loopback port (Kestrel, plain http), so that a wallet in another process (Node) can reach it.
/// Its public base URL is that loopback address, so issuer identifiers, offer and status list URIs all resolve.
/// </summary>
public sealed class LoopbackIssuerApp : WebApplicationFactory<IssuerOptions>, IAsyncLifetime
{
    public LoopbackIssuerApp()
    {
        // A free port chosen up front, because the issuer identifier must name it before the host starts.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(Port);
    }

    public int Port { get; }
    public string PublicBaseUrl => $"http://127.0.0.1:{Port}/";
    public PostgresDatabase Database { get; } = new();
    public RabbitMqBroker Broker { get; } = new();
    public TestTokens Tokens { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: the host reads the database provider while it is being built, before
        // configuration callbacks run, and would otherwise fall back to its SQLite default.
        var settings = Tokens.Settings.Concat(new Dictionary<string, string?>
        {
            ["Issuer:PublicBaseUrl"] = PublicBaseUrl,
            ["Issuer:Database:Provider"] = nameof(DatabaseProvider.Postgres),
            ["Issuer:Database:ConnectionString"] = Database.ConnectionString,
            ["Bus:Transport"] = nameof(BusTransport.RabbitMq),
            ["Bus:RabbitMq"] = Broker.Address.ToString(),
            ["Outbox:PollInterval"] = "00:00:00.200",
        }.Concat(TestRateLimits.Settings));
        foreach (var (key, value) in settings)
            builder.UseSetting(key, value);
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await Broker.InitializeAsync();
        StartServer();
        await Services.MigrateIssuerAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
        Tokens.Dispose();
    }

    public HttpClient ClientFor(string odsCode, string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Mint(odsCode, [role]));
        return client;
    }

    public async Task<(Guid StaffId, Guid CredentialId)> SeedCredentialAsync(string ods, string type, string claims)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = DateTimeOffset.UtcNow;
        db.Organisations.Add(new Organisation { OdsCode = ods, Name = $"Test Trust {ods}", CreatedAt = now });
        var staff = new StaffMember
        {
            OdsCode = ods, GivenName = "Amara", FamilyName = "Okafor", DateOfBirth = new DateOnly(1990, 4, 1),
            AssignmentNumber = Guid.NewGuid().ToString("N")[..12], CreatedAt = now,
        };
        db.Staff.Add(staff);
        var slot = (await scope.ServiceProvider.GetRequiredService<StatusLists>().AllocateAsync(ods, 1, CancellationToken.None))[0];
        var credential = new IssuedCredential
        {
            OdsCode = ods, StaffId = staff.Id, Type = type, Vct = $"{PublicBaseUrl}vct/{type}", Claims = claims,
            StatusListId = slot.ListId, StatusIndex = slot.Index, IssuedAt = now, ExpiresAt = now.AddYears(1), KeyId = "seed",
        };
        db.Credentials.Add(credential);
        await db.SaveChangesAsync();
        return (staff.Id, credential.Id);
    }
}
