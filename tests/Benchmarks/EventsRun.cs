using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Passport.Contracts;
using Passport.Issuer;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.Issuer.Keys;
using Passport.Issuer.Organisations;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier;
using Passport.Verifier.Data;
using Passport.Verifier.Deployments;
using static Passport.Benchmarks.BenchmarkRun;

namespace Passport.Benchmarks;

/// <summary>
/// The saturation rate of events between the services: <c>dotnet run -c Release --project tests/Benchmarks -- events --count 20000</c>.
/// The Issuer and the Verifier run in this process as their hosts compose them (<c>AddIssuer</c>, <c>AddVerifier</c>, the bus on
/// RabbitMQ with publisher confirms, PostgreSQL), each on a database of its own and both on a RabbitMQ virtual host of their own,
/// all created here and deleted afterwards. <c>--count</c> <see cref="CredentialRevoked"/> rows are committed to the Issuer's
/// outbox at once; the Issuer's dispatcher publishes them and the Verifier's <c>CredentialRevokedConsumer</c> applies each
/// (inbox row, a lookup of the deployments that relied on the credential, and for one in <c>--flag-every</c> a flag and a
/// <see cref="DeploymentFlagged"/> event that the Issuer's home view consumes in turn). Measured from the commit: until every
/// row is published (drain) and until every event is in the Verifier's inbox (end to end). With <c>--split</c> the Verifier is
/// stopped after the warm-up, so the outbox drains alone into the standing queue, and then started again to apply that queue
/// alone: each stage's own rate on this machine.
/// </summary>
internal static class EventsRun
{
    private const string Home = "BENCH1";
    private const string Host = "BENCH2";
    private const string RevokedConsumer = "CredentialRevokedConsumer";
    private const string FlaggedConsumer = "DeploymentFlaggedConsumer";
    private const string ProbeName = "passport-bench-probe";
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string[] args)
    {
        var count = IntOption(args, "--count", 20_000);
        var warmup = IntOption(args, "--warmup", 1_000);
        var flagEvery = IntOption(args, "--flag-every", 10);
        var window = IntOption(args, "--window", 5);
        var keep = args.Contains("--keep");
        var split = args.Contains("--split");
        var server = Environment.GetEnvironmentVariable("PASSPORT_TEST_POSTGRES");
        var amqp = Environment.GetEnvironmentVariable("PASSPORT_TEST_RABBITMQ");
        var api = Environment.GetEnvironmentVariable("PASSPORT_TEST_RABBITMQ_API");
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(amqp) || string.IsNullOrWhiteSpace(api))
        {
            await Console.Error.WriteLineAsync("events needs PostgreSQL and RabbitMQ: run `bash tests/infra/infra.sh start` and `eval \"$(bash tests/infra/infra.sh env)\"` first.");
            return 2;
        }

        var run = Guid.NewGuid().ToString("N");
        var (issuerDb, verifierDb, vhost) = ($"passport_bench_issuer_{run}", $"passport_bench_verifier_{run}", $"passport-bench-{run}");
        var broker = new Uri(amqp);
        using var management = ManagementClient(new Uri(api), broker);
        var vhostPath = $"api/vhosts/{Uri.EscapeDataString(vhost)}";
        try
        {
            await ExecuteAsync(server, $"CREATE DATABASE \"{issuerDb}\"");
            await ExecuteAsync(server, $"CREATE DATABASE \"{verifierDb}\"");
            (await management.PutAsJsonAsync(vhostPath, new { })).EnsureSuccessStatusCode();
            var user = Uri.UnescapeDataString(broker.UserInfo.Split(':', 2)[0]);
            (await management.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user)}",
                new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
            string Connection(string database, string? application = null) =>
                new NpgsqlConnectionStringBuilder(server) { Database = database, ApplicationName = application }.ConnectionString;
            var bus = new UriBuilder(broker) { Path = Uri.EscapeDataString(vhost) }.Uri;
            var verifierConnection = Connection(verifierDb);
            var issuer = BuildIssuer(Connection(issuerDb), bus);
            var verifier = BuildVerifier(verifierConnection, bus);
            List<WebApplication> hosts = [issuer, verifier];
            try
            {
                await verifier.Services.MigrateVerifierAsync();
                await issuer.Services.MigrateIssuerAsync();
                var statusList = issuer.Services.GetRequiredService<IOptions<IssuerOptions>>().Value.StatusListUri(Home, 1);
                var flagged = await SeedDeploymentsAsync(issuer.Services, verifier.Services, statusList, warmup + count, flagEvery);

                Report("Machine", Machine());
                Report("Run", $"{count:N0} CredentialRevoked events committed at once to the Issuer's outbox, after {warmup:N0} warm-up events; " +
                    $"1 in {flagEvery} flags a deployment ({flagged:N0} deployments in all), whose DeploymentFlagged goes back to the Issuer; windows of {window} s" +
                    (split ? "; split: the Verifier stopped while the outbox drains, then started on the standing queue" : ""));

                await verifier.StartAsync();
                await issuer.StartAsync();
                await using var probe = await Probe.OpenAsync(Connection(issuerDb, ProbeName), Connection(verifierDb, ProbeName));
                await EnqueueAsync(issuer.Services, statusList, 0, warmup);
                await WaitAsync("warm-up", () => probe.ScalarAsync(Side.Verifier, InboxCount(RevokedConsumer)), warmup);
                await WaitAsync("warm-up flags", () => probe.ScalarAsync(Side.Issuer, InboxCount(FlaggedConsumer)), FlagsBelow(warmup, flagEvery));
                if (split)
                {
                    await verifier.StopAsync();
                    await verifier.DisposeAsync();
                    hosts.Remove(verifier);
                }

                var rabbit = await RabbitPidAsync(management);
                var cpu = new CpuMeter(probe, [issuerDb, verifierDb], rabbit);
                var loadBefore = LoadAverage();
                var (created, started) = await EnqueueAsync(issuer.Services, statusList, warmup, count);
                var clock = Stopwatch.StartNew();
                await cpu.StartAsync();
                TimeSpan? drained = null;
                await WaitAsync(split ? "publish" : "events", async () =>
                {
                    await cpu.SampleAsync();
                    var applied = split ? 0 : await probe.ScalarAsync(Side.Verifier, InboxCount(RevokedConsumer));
                    var pending = await probe.ScalarAsync(Side.Issuer, PendingCount);
                    if (drained is null && pending == 0)
                        drained = clock.Elapsed;
                    // Split: progress is the rows published so far, so that a drain longer than the stall limit is not taken for a stall.
                    return split ? count - pending : drained is null ? Math.Min(applied, warmup + count - 1) : applied;
                }, split ? count : warmup + count, poll: TimeSpan.FromMilliseconds(100));
                var polled = clock.Elapsed;
                var used = await cpu.StopAsync();
                var drain = TimeSpan.FromMilliseconds(await probe.ScalarAsync(Side.Issuer,
                    $"SELECT extract(epoch FROM max(sent_at) - @t0) * 1000 FROM {Outbox(Side.Issuer)} WHERE created_at >= @created", started, created));
                Report("Drained", $"{count:N0} outbox rows published in {drain.TotalSeconds:F2} s = {count / drain.TotalSeconds:N0} events/s (last sent_at; the poll saw it at {drained?.TotalSeconds:F1} s)");
                var consumeFrom = started;
                if (split)
                {
                    await ReportWindowsAsync(probe, created, started, null, window);
                    Report("CPU, publishing", used.Describe(count));
                    verifier = BuildVerifier(verifierConnection, bus);
                    hosts.Add(verifier);
                    cpu = new CpuMeter(probe, [issuerDb, verifierDb], rabbit);
                    clock.Restart();
                    await cpu.StartAsync();
                    consumeFrom = DateTimeOffset.UtcNow;
                    await verifier.StartAsync();
                    await WaitAsync("consume", async () =>
                    {
                        await cpu.SampleAsync();
                        return await probe.ScalarAsync(Side.Verifier, InboxCount(RevokedConsumer));
                    }, warmup + count, poll: TimeSpan.FromMilliseconds(100));
                    polled = clock.Elapsed;
                    used = await cpu.StopAsync();
                }
                var loadAfter = LoadAverage();
                await WaitAsync("flags", () => probe.ScalarAsync(Side.Issuer, InboxCount(FlaggedConsumer)), FlagsBelow(warmup + count, flagEvery));
                var returned = clock.Elapsed;

                var endToEnd = TimeSpan.FromMilliseconds(await probe.ScalarAsync(Side.Verifier,
                    $"SELECT extract(epoch FROM max(processed_at) - @t0) * 1000 FROM {Inbox(Side.Verifier)} WHERE consumer = '{RevokedConsumer}' AND processed_at >= @t0", consumeFrom));
                if (split)
                {
                    var firstToLast = TimeSpan.FromMilliseconds(await probe.ScalarAsync(Side.Verifier,
                        $"SELECT extract(epoch FROM max(processed_at) - min(processed_at)) * 1000 FROM {Inbox(Side.Verifier)} WHERE consumer = '{RevokedConsumer}' AND processed_at >= @t0", consumeFrom));
                    Report("Applied alone", $"{count:N0} events from the standing queue in {firstToLast.TotalSeconds:F2} s = {(count - 1) / firstToLast.TotalSeconds:N0} events/s " +
                        $"(first to last processed_at; {endToEnd.TotalSeconds:F1} s counting the Verifier's start; the poll saw the last at {polled.TotalSeconds:F1} s)");
                    await ReportWindowsAsync(probe, created, null, consumeFrom, window);
                    Report("CPU, applying", used.Describe(count));
                }
                else
                {
                    Report("End to end", $"{count:N0} events in the Verifier's inbox in {endToEnd.TotalSeconds:F2} s = {count / endToEnd.TotalSeconds:N0} events/s (last processed_at; the poll saw it at {polled.TotalSeconds:F1} s)");
                    await ReportWindowsAsync(probe, created, started, started, window);
                    Report("CPU", used.Describe(count));
                }
                Report("Return leg", $"{flagged - FlagsBelow(warmup, flagEvery):N0} DeploymentFlagged in the Issuer's inbox by {returned.TotalSeconds:F1} s");
                Report("Load average", $"before {loadBefore}, after {loadAfter} (1, 5, 15 min)");

                return await CheckAsync(probe, management, vhost, warmup + count, flagged) ? 0 : 1;
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await host.StopAsync();
                    await host.DisposeAsync();
                }
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (!keep)
            {
                await DropAsync(server, issuerDb);
                await DropAsync(server, verifierDb);
                await management.DeleteAsync(vhostPath);
            }
        }
    }

    private static WebApplication BuildIssuer(string connection, Uri bus) => Build(bus, new()
    {
        ["Issuer:PublicBaseUrl"] = "https://issuer.bench.passport.nhs.uk/",
        ["Issuer:Database:Provider"] = nameof(DatabaseProvider.Postgres),
        ["Issuer:Database:ConnectionString"] = connection,
        ["Issuer:Keys:Provider"] = nameof(KeyProvider.Local),
        ["Issuer:Keys:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    }, builder =>
    {
        builder.AddIssuer();
        builder.AddPassportBus(x => x.AddIssuerConsumers());
    });

    private static WebApplication BuildVerifier(string connection, Uri bus) => Build(bus, new()
    {
        ["Verifier:PublicBaseUrl"] = "https://verifier.bench.passport.nhs.uk/",
        ["Verifier:Database:Provider"] = nameof(DatabaseProvider.Postgres),
        ["Verifier:Database:ConnectionString"] = connection,
        ["Verifier:Trust:IssuerBaseUrl"] = "https://issuer.bench.passport.nhs.uk/",
    }, builder =>
    {
        builder.AddVerifier();
        builder.AddPassportBus(x => x.AddVerifierConsumers());
    });

    /// <summary>As the service's Program.cs composes it, minus authentication and endpoints, which no event touches.</summary>
    private static WebApplication Build(Uri bus, Dictionary<string, string?> settings, Action<WebApplicationBuilder> service)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Benchmark" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        settings["Bus:Transport"] = nameof(BusTransport.RabbitMq);
        settings["Bus:RabbitMq"] = bus.ToString();
        settings["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddPassportTelemetry();
        service(builder);
        // Each side's queues and bindings exist before the other publishes to them.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        return builder.Build();
    }

    /// <summary>One deployment for every <paramref name="flagEvery"/>th revoked credential, in the Verifier and in the Issuer's home view.</summary>
    private static async Task<int> SeedDeploymentsAsync(IServiceProvider issuer, IServiceProvider verifier, string statusList, int events, int flagEvery)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var agreement = Guid.CreateVersion7();
        var deployments = new List<Deployment>();
        for (var i = 0; i < events; i += flagEvery)
        {
            deployments.Add(Deployment.Request(new DeploymentDraft
            {
                HostOdsCode = Host, HomeOdsCode = Home, StaffId = Guid.CreateVersion7(), AgreementId = agreement, AgreementVersion = 1,
                DecisionId = Guid.CreateVersion7(), HostSite = "Ward 7, City Hospital", Start = today, MaxDeploymentDays = 90,
                AgreementEndsOn = today.AddYears(1), HomeApprovalRequired = false, CreatedBy = "bench",
                Credentials = [new DeploymentCredential { StatusListUri = statusList, StatusIndex = i, Vct = "https://passport.test/vct/training" }],
            }, today.AddDays(30), now));
        }
        await using (var scope = verifier.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VerifierDbContext>();
            db.AddRange(deployments);
            await db.SaveChangesAsync();
        }
        await using (var scope = issuer.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            db.Organisations.Add(new Organisation { OdsCode = Home, Name = "Benchmark NHS Foundation Trust", CreatedAt = now });
            db.AddRange(deployments.Select(d =>
            {
                var home = HomeDeployment.Requested(new DeploymentRequested
                {
                    DeploymentId = d.Id, HomeOdsCode = Home, HostOdsCode = Host, StaffId = d.StaffId, AgreementId = agreement, HostSite = d.HostSite,
                    Start = d.Start, End = d.End, RequiresHomeApproval = false,
                }, now);
                home.Started(d.Start, d.End, now);
                return home;
            }));
            await db.SaveChangesAsync();
        }
        return deployments.Count;
    }

    private static int FlagsBelow(int events, int flagEvery) => (events + flagEvery - 1) / flagEvery;

    /// <summary>
    /// Commits <paramref name="count"/> revocations to the Issuer's outbox in one transaction and wakes its dispatcher, as
    /// <c>CredentialIssuance</c> does after a commit. Returns the rows' <c>created_at</c> and the moment just before the commit.
    /// </summary>
    private static async Task<(DateTimeOffset Created, DateTimeOffset Started)> EnqueueAsync(IServiceProvider issuer, string statusList, int from, int count)
    {
        var created = DateTimeOffset.UtcNow;
        var rows = new List<OutboxMessage>(count);
        for (var i = from; i < from + count; i++)
        {
            rows.Add(OutboxModel.NewOutboxMessage(new CredentialRevoked
            {
                CredentialId = Guid.CreateVersion7(), IssuerOdsCode = Home, StaffId = Guid.CreateVersion7(), CredentialType = "training",
                Reason = "no_longer_valid", RevokedAt = created, StatusListUri = statusList, StatusIndex = i,
            }, created));
        }
        await using var scope = issuer.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.CopyAsync(rows, CancellationToken.None);
        var started = DateTimeOffset.UtcNow;
        await tx.CommitAsync();
        issuer.GetRequiredService<OutboxSignal>().Notify();
        return (created, started);
    }

    /// <summary>Polls until <paramref name="progress"/> reaches <paramref name="target"/>; gives up when it stands still for a minute.</summary>
    private static async Task WaitAsync(string what, Func<Task<double>> progress, int target, TimeSpan? poll = null)
    {
        var last = -1.0;
        var moved = Stopwatch.StartNew();
        while (true)
        {
            var now = await progress();
            if (now >= target)
                return;
            if (now != last)
                (last, moved) = (now, Stopwatch.StartNew());
            else if (moved.Elapsed > StallLimit)
                throw new TimeoutException($"{what}: stuck at {now:N0} of {target:N0} for {StallLimit.TotalSeconds} s.");
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Per window: rows published (by <c>sent_at</c> from <paramref name="sentFrom"/>) and events applied (by <c>processed_at</c> from <paramref name="appliedFrom"/>).</summary>
    private static async Task ReportWindowsAsync(Probe probe, DateTimeOffset created, DateTimeOffset? sentFrom, DateTimeOffset? appliedFrom, int window)
    {
        var sent = sentFrom is { } s0
            ? await probe.HistogramAsync(Side.Issuer, $"SELECT floor(extract(epoch FROM sent_at - @t0) / {window})::int, count(*) FROM {Outbox(Side.Issuer)} WHERE created_at >= @created GROUP BY 1", s0, created)
            : [];
        var applied = appliedFrom is { } a0
            ? await probe.HistogramAsync(Side.Verifier, $"SELECT floor(extract(epoch FROM processed_at - @t0) / {window})::int, count(*) FROM {Inbox(Side.Verifier)} WHERE consumer = '{RevokedConsumer}' AND processed_at >= @t0 GROUP BY 1", a0, created)
            : [];
        var last = Math.Max(sent.Keys.DefaultIfEmpty(0).Max(), applied.Keys.DefaultIfEmpty(0).Max());
        var first = Math.Min(sent.Keys.DefaultIfEmpty(last).Min(), applied.Keys.DefaultIfEmpty(last).Min());
        long sentSoFar = 0, appliedSoFar = 0;
        var full = new List<double>();
        for (var w = first; w <= last; w++)
        {
            var (s, a) = (sent.GetValueOrDefault(w), applied.GetValueOrDefault(w));
            (sentSoFar, appliedSoFar) = (sentSoFar + s, appliedSoFar + a);
            if (w > first && w < last)
                full.Add((appliedFrom is null ? s : a) / (double)window);
            var columns = new List<string>();
            if (sentFrom is not null)
                columns.Add($"published {s / (double)window,6:N0}/s");
            if (appliedFrom is not null)
                columns.Add($"applied {a / (double)window,6:N0}/s");
            // A consumer stamps processed_at before the dispatcher, waiting for the broker's confirm, stamps sent_at: hence at least 0.
            if (sentFrom is not null && appliedFrom is not null)
                columns.Add($"in flight at the end {Math.Max(0, sentSoFar - appliedSoFar),6:N0}");
            Report($"  {w * window,3}-{(w + 1) * window,3} s", string.Join(", ", columns));
        }
        if (full.Count > 0)
            Report("Windows", $"{(appliedFrom is null ? "published" : "applied")}: slowest full window {full.Min():N0}/s, fastest {full.Max():N0}/s (not counting the first and the last, partial, windows)");
    }

    private static async Task<bool> CheckAsync(Probe probe, HttpClient management, string vhost, int events, int flagged)
    {
        var ok = true;
        void Check(bool holds, string what)
        {
            Report(holds ? "Check" : "CHECK FAILED", what);
            ok &= holds;
        }

        var sentIds = await probe.IdsAsync(Side.Issuer, $"SELECT message_id FROM {Outbox(Side.Issuer)}");
        var inboxIds = await probe.IdsAsync(Side.Verifier, $"SELECT message_id FROM {Inbox(Side.Verifier)} WHERE consumer = '{RevokedConsumer}'");
        Check(inboxIds.Count == events && inboxIds.SetEquals(sentIds),
            $"the Verifier's inbox holds {inboxIds.Count:N0} CredentialRevoked, each once, {(inboxIds.SetEquals(sentIds) ? "exactly" : "NOT")} the {sentIds.Count:N0} the Issuer's outbox holds");
        var pending = (await probe.ScalarAsync(Side.Issuer, PendingCount), await probe.ScalarAsync(Side.Verifier, PendingCount));
        Check(pending == (0, 0), $"outbox rows pending: Issuer {pending.Item1:N0}, Verifier {pending.Item2:N0}");
        var flags = await probe.ScalarAsync(Side.Verifier, "SELECT count(*) FROM verifier.deployment_flags");
        var flaggedDeployments = await probe.ScalarAsync(Side.Verifier, "SELECT count(DISTINCT \"DeploymentId\") FROM verifier.deployment_flags");
        var flaggedEvents = await probe.ScalarAsync(Side.Verifier, $"SELECT count(*) FROM {Outbox(Side.Verifier)} WHERE message_type = '{typeof(DeploymentFlagged).FullName}'");
        Check(flags == flagged && flaggedDeployments == flagged && flaggedEvents == flagged,
            $"{flags:N0} flags on {flaggedDeployments:N0} deployments and {flaggedEvents:N0} DeploymentFlagged events (expected {flagged:N0} of each)");
        var homeFlags = await probe.ScalarAsync(Side.Issuer,
            "SELECT count(*) FROM issuer.home_deployments d, jsonb_array_elements(d.\"History\"::jsonb) e WHERE e->>'Event' = 'flagged'");
        var homeInbox = await probe.ScalarAsync(Side.Issuer, InboxCount(FlaggedConsumer));
        Check(homeFlags == flagged && homeInbox == flagged, $"the Issuer's home view holds {homeFlags:N0} flagged entries from {homeInbox:N0} inbox rows (expected {flagged:N0})");

        // The management API refreshes queue statistics every 5 s. Consumers off the measured path (the Issuer's own notifier
        // of each revocation) may still be working through their queues: give them a minute, and say how long they took.
        var stranded = new List<string>();
        long redelivered = 0;
        var draining = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(6));
            using var queues = JsonDocument.Parse(await management.GetStringAsync($"api/queues/{Uri.EscapeDataString(vhost)}"));
            (stranded, redelivered) = ([], 0);
            foreach (var queue in queues.RootElement.EnumerateArray())
            {
                var name = queue.GetProperty("name").GetString()!;
                var messages = queue.TryGetProperty("messages", out var m) ? m.GetInt64() : 0;
                if (messages > 0)
                    stranded.Add($"{name} {messages:N0}");
                if (queue.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty("redeliver", out var r))
                    redelivered += r.GetInt64();
            }
        }
        while (stranded.Count > 0 && !stranded.Any(q => q.Contains("_error", StringComparison.Ordinal)) && draining.Elapsed < TimeSpan.FromSeconds(60));
        if (stranded.Count == 0 && draining.Elapsed > TimeSpan.FromSeconds(10))
            Report("Side queues", $"the consumers off the measured path emptied their queues {draining.Elapsed.TotalSeconds:F0} s after the check began");
        Check(stranded.Count == 0, stranded.Count == 0 ? "every queue empty, error queues included" : "messages left: " + string.Join(", ", stranded));
        Report("Redeliveries", $"{redelivered:N0} (deliveries the broker repeated; the inboxes make them no-ops)");
        return ok;
    }

    private const string PendingCount = "SELECT count(*) FROM {outbox} WHERE sent_at IS NULL";

    private static string InboxCount(string consumer) => $"SELECT count(*) FROM {{inbox}} WHERE consumer = '{consumer}'";

    private static string Outbox(Side side) => $"{Schema(side)}.{OutboxModel.OutboxTable}";

    private static string Inbox(Side side) => $"{Schema(side)}.{OutboxModel.InboxTable}";

    private static string Schema(Side side) => side == Side.Issuer ? IssuerDbContext.Schema : VerifierDbContext.Schema;

    private static HttpClient ManagementClient(Uri api, Uri broker)
    {
        var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(broker.UserInfo)));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return client;
    }

    private static async Task<int?> RabbitPidAsync(HttpClient management)
    {
        using var nodes = JsonDocument.Parse(await management.GetStringAsync("api/nodes"));
        var pid = nodes.RootElement.EnumerateArray().Select(n => n.TryGetProperty("os_pid", out var p) ? p.ToString() : null).FirstOrDefault();
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private enum Side
    {
        Issuer,
        Verifier,
    }

    /// <summary>The run's own connection to each database, named so that its backend is left out of the CPU figures.</summary>
    private sealed class Probe(NpgsqlConnection issuer, NpgsqlConnection verifier) : IAsyncDisposable
    {
        public static async Task<Probe> OpenAsync(string issuerConnection, string verifierConnection)
        {
            var issuer = new NpgsqlConnection(issuerConnection);
            var verifier = new NpgsqlConnection(verifierConnection);
            await issuer.OpenAsync();
            await verifier.OpenAsync();
            return new Probe(issuer, verifier);
        }

        public NpgsqlConnection Issuer => issuer;

        public async Task<double> ScalarAsync(Side side, string sql, DateTimeOffset? t0 = null, DateTimeOffset? created = null)
        {
            await using var command = Command(side, sql, t0, created);
            return Convert.ToDouble(await command.ExecuteScalarAsync() ?? 0.0, CultureInfo.InvariantCulture);
        }

        public async Task<Dictionary<int, long>> HistogramAsync(Side side, string sql, DateTimeOffset t0, DateTimeOffset created)
        {
            await using var command = Command(side, sql, t0, created);
            await using var reader = await command.ExecuteReaderAsync();
            var result = new Dictionary<int, long>();
            while (await reader.ReadAsync())
                result[reader.GetInt32(0)] = reader.GetInt64(1);
            return result;
        }

        public async Task<HashSet<Guid>> IdsAsync(Side side, string sql)
        {
            await using var command = Command(side, sql, null, null);
            await using var reader = await command.ExecuteReaderAsync();
            var result = new HashSet<Guid>();
            while (await reader.ReadAsync())
                result.Add(reader.GetGuid(0));
            return result;
        }

        private NpgsqlCommand Command(Side side, string sql, DateTimeOffset? t0, DateTimeOffset? created)
        {
#pragma warning disable CA2100 // The SQL is this file's own, with our table names in it.
            var command = new NpgsqlCommand(sql.Replace("{outbox}", Outbox(side), StringComparison.Ordinal).Replace("{inbox}", Inbox(side), StringComparison.Ordinal),
                side == Side.Issuer ? issuer : verifier);
#pragma warning restore CA2100
            if (t0 is { } start)
                command.Parameters.AddWithValue("t0", start);
            if (created is { } at)
                command.Parameters.AddWithValue("created", at);
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            await issuer.DisposeAsync();
            await verifier.DisposeAsync();
        }
    }

    /// <summary>
    /// CPU over the measured span: this process (both services), the PostgreSQL backends serving the two databases (read from
    /// <c>/proc</c> by the pids <c>pg_stat_activity</c> names, sampled as the run goes so that a backend that ends is counted up
    /// to its last sample), the RabbitMQ node, and the machine as a whole.
    /// </summary>
    private sealed class CpuMeter(Probe probe, string[] databases, int? rabbitPid)
    {
        private const double TicksPerSecond = 100; // USER_HZ, the unit of /proc/<pid>/stat on Linux
        private readonly Dictionary<int, long> _backendStart = [];
        private readonly Dictionary<int, long> _backendLast = [];
        private readonly Stopwatch _sampled = new();
        private readonly Stopwatch _wall = new();
        private TimeSpan _process;
        private long _rabbit;
        private (long Busy, long Total) _machine;

        public async Task StartAsync()
        {
            foreach (var (pid, ticks) in await BackendsAsync())
                _backendStart[pid] = _backendLast[pid] = ticks;
            _process = Process.GetCurrentProcess().TotalProcessorTime;
            _rabbit = rabbitPid is { } pid2 ? ProcessTicks(pid2) ?? 0 : 0;
            _machine = MachineTicks();
            _sampled.Start();
            _wall.Start();
        }

        public async Task SampleAsync()
        {
            if (_sampled.Elapsed < TimeSpan.FromSeconds(1))
                return;
            _sampled.Restart();
            foreach (var (pid, ticks) in await BackendsAsync())
                _backendLast[pid] = ticks;
        }

        public async Task<CpuUsed> StopAsync()
        {
            var process = Process.GetCurrentProcess().TotalProcessorTime - _process;
            var rabbit = rabbitPid is { } pid ? (ProcessTicks(pid) ?? _rabbit) - _rabbit : 0;
            var machine = MachineTicks();
            foreach (var (backend, ticks) in await BackendsAsync())
                _backendLast[backend] = ticks;
            var postgres = _backendLast.Sum(b => b.Value - _backendStart.GetValueOrDefault(b.Key));
            return new CpuUsed(_wall.Elapsed, process.TotalSeconds, postgres / TicksPerSecond, rabbitPid is null ? null : rabbit / TicksPerSecond,
                (machine.Busy - _machine.Busy) / (double)(machine.Total - _machine.Total) * Environment.ProcessorCount);
        }

        private async Task<List<(int Pid, long Ticks)>> BackendsAsync()
        {
            await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = ANY(@databases) AND application_name <> @probe", probe.Issuer);
            command.Parameters.AddWithValue("databases", databases);
            command.Parameters.AddWithValue("probe", ProbeName);
            await using var reader = await command.ExecuteReaderAsync();
            var result = new List<(int, long)>();
            while (await reader.ReadAsync())
            {
                if (ProcessTicks(reader.GetInt32(0)) is { } ticks)
                    result.Add((reader.GetInt32(0), ticks));
            }
            return result;
        }

        /// <summary>utime + stime, fields 14 and 15 of /proc/&lt;pid&gt;/stat, counted after the command name in parentheses.</summary>
        private static long? ProcessTicks(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return null;
            }
        }

        private static (long Busy, long Total) MachineTicks()
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return (total - fields[3] - fields[4], total);
        }
    }

    private sealed record CpuUsed(TimeSpan Wall, double Process, double Postgres, double? Rabbit, double MachineCores)
    {
        public string Describe(int events)
        {
            string Per(double seconds) => $"{seconds * 1_000_000 / events:N0} µs/event ({seconds / Wall.TotalSeconds:F2} cores)";
            return $".NET process (both services) {Per(Process)}; PostgreSQL backends of the two databases {Per(Postgres)}; " +
                $"RabbitMQ node {(Rabbit is { } r ? Per(r) : "n/a")} (shared with anything else on the broker); " +
                $"whole machine {MachineCores:F2} of {Environment.ProcessorCount} cores busy; over {Wall.TotalSeconds:F1} s from the commit until the poll saw the last event applied";
        }
    }
}
