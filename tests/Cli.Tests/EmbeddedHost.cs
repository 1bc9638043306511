extern alias EmbeddedHostAssembly;

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Passport.Cli.Api;
using Passport.Testing;

namespace Passport.Cli.Tests;

/// <summary>
/// The embedded host (Issuer and Verifier in one process, SQLite, in-memory bus, development tokens) in Development, on a
/// real loopback port so the CLI talks to it over HTTP as it would to <c>dotnet run --project src/Host</c>, with a data
/// folder of its own that is deleted afterwards. It seeds the demo organisations on start, as on a first run.
/// </summary>
public sealed class EmbeddedHost : WebApplicationFactory<EmbeddedHostAssembly::Program>, IAsyncLifetime
{
    private readonly DirectoryInfo _data;
    private readonly bool _ownsData;

    public EmbeddedHost() : this(null)
    {
    }

    /// <param name="dataFolder">Another host's data folder, to start a second host on it; by default a new one of its own.</param>
    internal EmbeddedHost(string? dataFolder)
    {
        _ownsData = dataFolder is null;
        _data = dataFolder is null ? Directory.CreateTempSubdirectory("passport-cli-tests-") : new DirectoryInfo(dataFolder);
        // Chosen up front: issuer and verifier identifiers must name the port before the host starts.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        UseKestrel(Port);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public string DataFolder => _data.FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Passport:DataFolder", DataFolder);
        builder.UseSetting("Passport:PublicBaseUrl", Url + "/");
        builder.UseSetting("Outbox:PollInterval", "00:00:00.100");
        foreach (var (key, value) in TestRateLimits.Settings)
            builder.UseSetting(key, value);
    }

    /// <summary>Starts the host and waits until its first-run seeding (which runs once it listens) has recorded the agreement.</summary>
    public async Task InitializeAsync()
    {
        StartServer();
        using var http = ServiceClient.CreateHttp(new Uri(Url));
        var service = new ServiceClient(http);
        var verifier = service.As(await DevelopmentToken.MintAsync(service, "RXH", "verifier", CancellationToken.None));
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var agreements = await verifier.GetAsync("api/agreements", "The demo agreement", CancellationToken.None);
            if (agreements["items"] is System.Text.Json.Nodes.JsonArray { Count: > 0 })
                return;
            await Task.Delay(100);
        }
        throw new InvalidOperationException("The embedded host did not seed its demo agreement within 30 s.");
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        // SQLite keeps its files open until the pools are cleared.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsData)
            _data.Delete(recursive: true);
    }
}
