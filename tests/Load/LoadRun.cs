using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Passport.Load;

/// <summary>
/// The run: the stub issuer, an agreement, credentials for the staff, one checked request, the raw ES256 baseline, a
/// warm-up that sizes the pool, the measured window with CPU sampled around it, the baseline again, and the report.
/// </summary>
internal static class LoadRun
{
    /// <summary>The run fails when more than this fraction of requests are not answered 2xx.</summary>
    private const double MaxErrorRate = 0.001;

    public static async Task<int> RunAsync(LoadOptions options)
    {
        var time = TimeProvider.System;
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var (hostOds, homeOds) = ("L" + suffix, "H" + suffix);
        await using var issuer = await StubIssuer.StartAsync(options.IssuerUrl, homeOds, Math.Max(1024, options.Staff * 3), time);
        var scenario = new Scenario(issuer, hostOds, options.PublicBaseUrl, time);
        var token = await AccessTokens.MintAsync(AccessTokens.Load(options.TokenKey), hostOds, time);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false, UseCookies = false,
        })
        { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Say($"setting up: agreement {hostOds} with {homeOds}, credentials for {options.Staff} staff");
        using (var created = await http.PostAsJsonAsync(new Uri("api/agreements", UriKind.Relative), scenario.Agreement()))
        {
            if (created.StatusCode != HttpStatusCode.Created)
                return Fail($"creating the agreement answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
            scenario.AgreementId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }
        await scenario.IssueAsync(options.Staff);
        using (var content = new ByteArrayContent(await scenario.NextRequestAsync()))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var first = await http.PostAsync(new Uri("api/verify", UriKind.Relative), content);
            var decision = await first.Content.ReadAsStringAsync();
            if (first.StatusCode != HttpStatusCode.Created || JsonNode.Parse(decision)?["accepted"]?.GetValue<bool>() != true)
                return Fail($"the first verification was not an accepted decision ({(int)first.StatusCode}): {decision}");
        }

        Say($"baselines: {options.RawIterations:N0} raw ES256 verifications, then {Math.Max(100, options.RawIterations / 10):N0} requests' presentations through the credential core");
        var rawBefore = RawVerify.Measure(scenario.SampleIssuerJwt, options.RawIterations);
        var coreRequests = Math.Max(100, options.RawIterations / 10);
        var coreBefore = await CoreVerify.MeasureCpuMicrosecondsAsync(scenario, issuer, coreRequests);

        Say($"warm-up: {options.WarmupSeconds} s at concurrency {options.Concurrency}");
        var warmPool = await RequestPool.CreateAsync(scenario, options.Concurrency * 100);
        var warm = await LoadDriver.DriveAsync(http, warmPool, options.Concurrency, TimeSpan.FromSeconds(options.WarmupSeconds));

        // Twice the warm-up's rate, and never fewer than 250 a second: the rate climbs once the Verifier's code is fully
        // jitted, and the measured window should make none (a body is about 4 KB and 3 signatures).
        var size = (int)Math.Clamp(Math.Max(Math.Max(warm.PerSecond * 2, 250), options.TargetRate * 1.05) * options.DurationSeconds, 2_000, 400_000);
        Say($"warm-up: {warm.PerSecond:F0} verifications/s; making {size:N0} request bodies");
        var pool = await RequestPool.CreateAsync(scenario, size);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var outbox = options.Connection is { } connection ? new Outbox(connection) : null;
        if (outbox is not null)
            await outbox.DrainAsync(TimeSpan.FromSeconds(60));

        Say($"measuring: {options.DurationSeconds} s at concurrency {options.Concurrency}{(options.TargetRate > 0 ? $", {options.TargetRate}/s on a fixed schedule" : "")}");
        var database = options.Connection is { } c ? new NpgsqlConnectionStringBuilder(c).Database : null;
        var meter = new CpuMeter(options.VerifierPid, database);
        var before = meter.Sample();
        var workingSet = WorkingSet.Watch(options.VerifierPid);
        var result = await LoadDriver.DriveAsync(http, pool, options.Concurrency, TimeSpan.FromSeconds(options.DurationSeconds), options.TargetRate);
        var after = meter.Sample();
        var peakWorkingSet = workingSet?.PeakMiB;
        if (workingSet is not null)
            await workingSet.DisposeAsync();
        var drain = outbox is null ? default : await outbox.DrainAsync(TimeSpan.FromSeconds(60));
        var drained = meter.Sample();
        var rawAfter = RawVerify.Measure(scenario.SampleIssuerJwt, options.RawIterations);
        var coreAfter = await CoreVerify.MeasureCpuMicrosecondsAsync(scenario, issuer, coreRequests);

        var report = Report.Write(new Report.Inputs
        {
            Options = options, Result = result, Warmup = warm, Cpu = CpuUse.Between(before, after), CpuWithDrain = CpuUse.Between(before, drained),
            OutboxBacklog = drain.Backlog, OutboxDrainSeconds = drain.Seconds, OutboxLeft = drain.Left, LoadBefore = before.LoadAverage, LoadAfter = after.LoadAverage,
            RawBefore = rawBefore, RawAfter = rawAfter, CoreRequests = coreRequests, CoreBefore = coreBefore, CoreAfter = coreAfter, PoolSize = pool.Size, MadeOnTheFly = pool.MadeOnTheFly,
            VerifierPeakWorkingSetMiB = peakWorkingSet, MetadataFetches = issuer.MetadataHits, StatusListFetches = issuer.StatusListHits,
        });
        Console.WriteLine(report);
        if (options.Report is { } file)
            await File.WriteAllTextAsync(file, report);

        if (result.Succeeded == 0)
            return Fail("no verification succeeded.");
        if (result.ErrorRate > MaxErrorRate)
            return Fail($"{result.Failed} of {result.Requests} requests ({result.ErrorRate:P2}) were not answered 2xx; at most {MaxErrorRate:P1} may fail.");
        return 0;
    }

    private static void Say(string message) => Console.Error.WriteLine($"load: {message}");

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"load: FAILED: {message}");
        return 1;
    }
}
