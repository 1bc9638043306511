using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Messaging;
using Passport.Testing;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;

namespace Passport.Faults;

public sealed record FaultRunOptions
{
    public int Ops { get; init; } = 10_000;
    public int Concurrency { get; init; } = 12;
    public FaultMode Faults { get; init; } = FaultMode.Infra;

    /// <summary>The PostgreSQL server (any database); the run makes two databases of its own on it.</summary>
    public required string Postgres { get; init; }

    /// <summary>The broker's root AMQP URI; the run makes a virtual host of its own.</summary>
    public required Uri RabbitMq { get; init; }

    public required Uri RabbitMqApi { get; init; }
    public required string IssuerDll { get; init; }
    public required string VerifierDll { get; init; }
    public string? RabbitStop { get; init; }
    public string? RabbitStart { get; init; }
    public string? PostgresStop { get; init; }
    public string? PostgresStart { get; init; }
    public TimeSpan FaultDuration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan QuiesceTimeout { get; init; } = TimeSpan.FromMinutes(3);
    public string WorkFolder { get; init; } = Path.Combine(Path.GetTempPath(), "passport-faults");
    public bool Keep { get; init; }

    /// <summary>
    /// Instances of each service (1 or 2). With 2, a second Issuer and a second Verifier run on the same databases and
    /// virtual host: their dispatchers share the outboxes and their consumers compete for the queues; HTTP calls alternate
    /// between the two of each; the Issuer fault kills the first Issuer only.
    /// </summary>
    public int Instances { get; init; } = 1;
}

public sealed record FaultRunResult(IReadOnlyList<string> Lines, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}

/// <summary>
/// Drives Issuer and Verifier processes with a stream of mixed operations while faults are injected, then checks that
/// every acknowledged operation is stored and every event was applied exactly once in effect.
/// </summary>
/// <remarks>
/// A unit of work is one credential's story. The planned mix: 35% issue, deploy, revoke (the revocation must flag the
/// deployment once, and the home organisation must see that flag once); 30% issue, deploy, end (the home organisation
/// must see the deployment ended); 15% issue, deploy; 20% issue, revoke. Issue and revoke are HR calls on the Issuer;
/// deploy and end are calls on the Verifier. The accepted decision a deployment needs is written to the Verifier's
/// database by the driver (it stands for a wallet's presentation, which the presentation tests cover).
/// </remarks>
public static class FaultRun
{
    private const string Role = "registered_nurse";

    private enum Plan { DeployRevoke, DeployEnd, Deploy, Revoke }

    private sealed class Unit
    {
        public Plan Plan { get; init; }
        public Guid StaffId { get; init; }
        public Guid? CredentialId { get; set; }
        public string? StatusListUri { get; set; }
        public long StatusIndex { get; set; }
        public Guid? DeploymentId { get; set; }
        public bool Revoked { get; set; }
        public bool Ended { get; set; }
    }

    public static async Task<FaultRunResult> RunAsync(FaultRunOptions o, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(log);
        var lines = new List<string>();
        var failures = new List<string>();
        void Say(string line)
        {
            lines.Add(line);
            log.WriteLine(line);
        }

        var run = $"{DateTime.UtcNow:MMddHHmmss}{RandomNumberGenerator.GetHexString(4, lowercase: true)}";
        var folder = Directory.CreateDirectory(Path.Combine(o.WorkFolder, run)).FullName;
        var (issuerDb, verifierDb, vhost) = ($"passport_faults_issuer_{run}", $"passport_faults_verifier_{run}", $"passport-faults-{run}");
        var (home, host) = ("D" + Random.Shared.Next(100_000, 999_999), "D" + Random.Shared.Next(100_000, 999_999));
        using var tokens = new TestTokens();
        using var management = ManagementClient(o);
        var issuerConnection = new NpgsqlConnectionStringBuilder(o.Postgres) { Database = issuerDb, Timeout = 5 }.ConnectionString;
        var verifierConnection = new NpgsqlConnectionStringBuilder(o.Postgres) { Database = verifierDb, Timeout = 5 }.ConnectionString;

        await ServerSqlAsync(o.Postgres, $"CREATE DATABASE \"{issuerDb}\"", cancellationToken);
        await ServerSqlAsync(o.Postgres, $"CREATE DATABASE \"{verifierDb}\"", cancellationToken);
        (await management.PutAsJsonAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", new { }, cancellationToken)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(o.RabbitMq.UserInfo.Split(':')[0]);
        (await management.PutAsJsonAsync($"api/permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" }, cancellationToken)).EnsureSuccessStatusCode();

        await using (var db = IssuerDb(issuerConnection))
            await db.Database.MigrateAsync(cancellationToken);
        await using (var db = VerifierDb(verifierConnection))
            await db.Database.MigrateAsync(cancellationToken);

        var common = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Auth__Issuer"] = TestTokens.Issuer,
            ["Auth__Audience"] = TestTokens.Audience,
            ["Auth__SigningKeys"] = tokens.Jwks,
            ["Auth__RequireHttpsMetadata"] = "false",
            ["Bus__Transport"] = "RabbitMq",
            ["Bus__RabbitMq"] = new UriBuilder(o.RabbitMq) { Path = Uri.EscapeDataString(vhost) }.Uri.ToString(),
            ["Outbox__PollInterval"] = "00:00:00.500",
            ["Outbox__MaxBackoff"] = "00:00:02",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in TestRateLimits.EnvironmentVariables)
            common[key] = value!;
        var issuerPort = ServiceProcess.FreePort();
        var issuerBase = $"http://127.0.0.1:{issuerPort}/";
        await using var verifier = new ServiceProcess("verifier", o.VerifierDll, new Dictionary<string, string>(common)
        {
            ["Verifier__Database__Provider"] = "Postgres",
            ["Verifier__Database__ConnectionString"] = verifierConnection,
            ["Verifier__Trust__IssuerBaseUrl"] = issuerBase,
            ["Verifier__Trust__AllowHttp"] = "true",
            ["Verifier__Trust__AllowPrivateNetworks"] = "true",
        }, Path.Combine(folder, "verifier.log"));
        // The Issuer's address must survive a restart: status list URIs are built on it.
        var issuerProcess = new ServiceProcess("issuer", o.IssuerDll, new Dictionary<string, string>(common)
        {
            ["Issuer__PublicBaseUrl"] = issuerBase,
            ["Issuer__Database__Provider"] = "Postgres",
            ["Issuer__Database__ConnectionString"] = issuerConnection,
            ["Issuer__Keys__Provider"] = "Local",
            ["Issuer__Keys__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }, Path.Combine(folder, "issuer.log"), issuerPort);
        await using var _ = issuerProcess;
        var second = o.Instances >= 2
            ? (Issuer: new ServiceProcess("issuer-2", o.IssuerDll, new Dictionary<string, string>(issuerProcess.Environment), Path.Combine(folder, "issuer-2.log")),
                Verifier: new ServiceProcess("verifier-2", o.VerifierDll, new Dictionary<string, string>(verifier.Environment), Path.Combine(folder, "verifier-2.log")))
            : ((ServiceProcess Issuer, ServiceProcess Verifier)?)null;

        try
        {
            Say($"Fault run {run}: {o.Ops:N0} operations, {o.Concurrency} at a time, faults {o.Faults}, {(second is null ? "one instance" : "two instances")} of each service; logs in {folder}");
            var staff = await SeedIssuerAsync(issuerConnection, home, Math.Max(10, o.Ops / 50), cancellationToken);
            await Task.WhenAll(issuerProcess.StartAsync(TimeSpan.FromSeconds(90)), verifier.StartAsync(TimeSpan.FromSeconds(90)));
            if (second is { } started2)
                await Task.WhenAll(started2.Issuer.StartAsync(TimeSpan.FromSeconds(90)), started2.Verifier.StartAsync(TimeSpan.FromSeconds(90)));
            using var hr = Client(issuerProcess.BaseAddress, tokens.Mint(home, ["hr_issuer"], lifetime: TimeSpan.FromHours(2)));
            using var verifierHttp = Client(verifier.BaseAddress, tokens.Mint(host, ["verifier", "org_admin"], lifetime: TimeSpan.FromHours(2)));
            using var hr2 = second is { } s2 ? Client(s2.Issuer.BaseAddress, tokens.Mint(home, ["hr_issuer"], lifetime: TimeSpan.FromHours(2))) : null;
            using var verifierHttp2 = second is { } s3 ? Client(s3.Verifier.BaseAddress, tokens.Mint(host, ["verifier", "org_admin"], lifetime: TimeSpan.FromHours(2))) : null;
            var agreementId = await CreateAgreementAsync(verifierHttp, host, home, cancellationToken);
            // The organisation's first signing key is made on first use; one issue before the load keeps that out of the figures.
            using (var warmup = await hr.PostAsJsonAsync(new Uri($"api/staff/{staff[0]}/credentials", UriKind.Relative), new JsonObject
            {
                ["type"] = "training",
                ["claims"] = new JsonObject { ["subject"] = "fire_safety", ["level"] = "1", ["provider"] = "Trust Learning", ["completed_on"] = "2026-01-01" },
            }, cancellationToken))
            {
                warmup.EnsureSuccessStatusCode();
            }

            var context = new RunContext(o, hr, verifierHttp, verifierConnection, issuerConnection, home, host, agreementId, issuerBase)
            {
                SecondHr = hr2, SecondVerifier = verifierHttp2,
            };
            var faults = new FaultInjector(o, vhost, [issuerDb, verifierDb], management, log);
            var plans = PlanUnits(o.Ops, staff);
            var started = Stopwatch.StartNew();
            var faultPoints = o.Faults == FaultMode.None ? [] : new[] { 0.2, 0.45, 0.7 };
            // The broker last: restarting it is the slowest, and the stream of operations goes on through it.
            var faultNames = new[] { "Issuer killed (SIGKILL) and restarted", "PostgreSQL stopped (immediate) and started", "RabbitMQ stopped and started" };
            if (o.Faults == FaultMode.Local)
                faultNames = [faultNames[0], "PostgreSQL backends terminated for the fault's duration", "RabbitMQ connections closed for the fault's duration"];
            var faultTask = Task.CompletedTask;
            var nextFault = 0;
            var gate = new object();

            await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = o.Concurrency, CancellationToken = cancellationToken }, async (unit, ct) =>
            {
                lock (gate)
                {
                    if (nextFault < faultPoints.Length && context.Attempted >= faultPoints[nextFault] * o.Ops && faultTask.IsCompleted)
                    {
                        var which = nextFault++;
                        faultTask = Task.Run(() => InjectAsync(which), CancellationToken.None);
                    }
                }
                if (context.Attempted < o.Ops)
                    await RunUnitAsync(context, unit, ct);
            });
            await faultTask;
            while (nextFault < faultPoints.Length)
                await InjectAsync(nextFault++);
            var workload = started.Elapsed;
            Say($"Workload: {context.Attempted:N0} operations attempted, {context.Acknowledged:N0} acknowledged, {context.Refused:N0} refused or lost, in {workload.TotalSeconds:N1} s ({context.Acknowledged / workload.TotalSeconds:N0}/s)");
            foreach (var (kind, n) in context.ByKind.OrderBy(k => k.Key, StringComparer.Ordinal))
                Say($"  {kind,-8} {n,7:N0} acknowledged");

            async Task InjectAsync(int which)
            {
                var at = Stopwatch.StartNew();
                Say($"Fault {which + 1} at {context.Attempted:N0} operations: {faultNames[which]}");
                try
                {
                    switch (which)
                    {
                        case 0:
                            await issuerProcess.KillAsync();
                            await Task.Delay(o.FaultDuration / 2, cancellationToken);
                            await issuerProcess.StartAsync(TimeSpan.FromSeconds(90));
                            break;
                        case 1:
                            await faults.DatabaseAsync(cancellationToken);
                            break;
                        default:
                            await faults.BrokerAsync(cancellationToken);
                            break;
                    }
                    var restored = at.Elapsed;
                    var recovered = await CanaryAsync(context, plans.Count > 0 ? plans[0].StaffId : Guid.Empty, cancellationToken);
                    Say($"  restored after {restored.TotalSeconds:N1} s; {recovered.TotalSeconds:N1} s later a new credential was issued, deployed and revoked, and the revocation had flagged the deployment");
                }
#pragma warning disable CA1031 // A fault that cannot be restored is reported as a failure of the run, not a crash of the driver.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failures.Add($"fault {which + 1} ({faultNames[which]}) did not recover: {ex.Message}");
                    Say($"  did not recover: {ex.Message}");
                }
            }

            var quiet = await QuiesceAsync(issuerConnection, verifierConnection, o.QuiesceTimeout, cancellationToken);
            Say($"Quiescent after {quiet.TotalSeconds:N1} s");
            await CheckAsync(context, plans, management, vhost, Say, failures, cancellationToken);
        }
        finally
        {
            await issuerProcess.DisposeAsync();
            await verifier.DisposeAsync();
            if (second is { } stopped2)
            {
                await stopped2.Issuer.DisposeAsync();
                await stopped2.Verifier.DisposeAsync();
            }
            if (!o.Keep)
            {
                NpgsqlConnection.ClearAllPools();
                await ServerSqlAsync(o.Postgres, $"DROP DATABASE IF EXISTS \"{issuerDb}\" WITH (FORCE)", CancellationToken.None);
                await ServerSqlAsync(o.Postgres, $"DROP DATABASE IF EXISTS \"{verifierDb}\" WITH (FORCE)", CancellationToken.None);
                await management.DeleteAsync(new Uri($"api/vhosts/{Uri.EscapeDataString(vhost)}", UriKind.Relative), CancellationToken.None);
            }
        }
        Say(failures.Count == 0 ? "PASS: every check holds" : $"FAIL: {failures.Count} check(s) off");
        foreach (var f in failures)
            Say("  " + f);
        return new FaultRunResult(lines, failures);
    }

    private sealed class RunContext(
        FaultRunOptions options, HttpClient hr, HttpClient verifier, string verifierConnection, string issuerConnection, string home, string host,
        Guid agreementId, string issuerBase)
    {
        private int _attempted;
        private int _acknowledged;
        private int _refused;
        private int _turn;

        public FaultRunOptions Options => options;

        /// <summary>With two instances, calls alternate between them.</summary>
        public HttpClient Hr => SecondHr is { } other && (Interlocked.Increment(ref _turn) & 1) == 0 ? other : hr;

        public HttpClient Verifier => SecondVerifier is { } other && (Interlocked.Increment(ref _turn) & 1) == 0 ? other : verifier;

        public HttpClient? SecondHr { get; init; }

        public HttpClient? SecondVerifier { get; init; }
        public string VerifierConnection => verifierConnection;
        public string IssuerConnection => issuerConnection;
        public string Home => home;
        public string Host => host;
        public Guid AgreementId => agreementId;
        public string IssuerBase => issuerBase;
        public int Attempted => Volatile.Read(ref _attempted);
        public int Acknowledged => Volatile.Read(ref _acknowledged);
        public int Refused => Volatile.Read(ref _refused);
        public ConcurrentDictionary<string, int> ByKind { get; } = new(StringComparer.Ordinal);
        public ConcurrentBag<Unit> Canaries { get; } = [];

        public void Attempt() => Interlocked.Increment(ref _attempted);

        public void Ack(string kind)
        {
            Interlocked.Increment(ref _acknowledged);
            ByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }

        public void Refuse() => Interlocked.Increment(ref _refused);
    }

    private static List<Unit> PlanUnits(int ops, IReadOnlyList<Guid> staff)
    {
        var units = new List<Unit>();
        var planned = 0;
        // Twice what is needed: a unit whose operation is refused ends early, and the run stops at the operation count.
        ops *= 2;
        var random = new Random(ops);
        while (planned < ops)
        {
            var roll = random.NextDouble();
            var plan = roll < 0.35 ? Plan.DeployRevoke : roll < 0.65 ? Plan.DeployEnd : roll < 0.80 ? Plan.Deploy : Plan.Revoke;
            units.Add(new Unit { Plan = plan, StaffId = staff[units.Count % staff.Count] });
            planned += plan is Plan.DeployRevoke or Plan.DeployEnd ? 3 : 2;
        }
        return units;
    }

    /// <summary>One unit's operations in order; a refused or lost operation ends the unit (what it had done stays recorded).</summary>
    private static async Task RunUnitAsync(RunContext c, Unit unit, CancellationToken ct)
    {
        if (!await IssueAsync(c, unit, ct))
            return;
        if (unit.Plan == Plan.Revoke)
        {
            await RevokeAsync(c, unit, ct);
            return;
        }
        if (!await DeployAsync(c, unit, ct))
            return;
        if (unit.Plan == Plan.DeployRevoke)
            await RevokeAsync(c, unit, ct);
        else if (unit.Plan == Plan.DeployEnd)
            await EndAsync(c, unit, ct);
    }

    private static async Task<bool> IssueAsync(RunContext c, Unit unit, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["type"] = "training",
            ["sourceReference"] = "FAULT-" + Guid.NewGuid().ToString("N"),
            ["claims"] = new JsonObject
            {
                ["subject"] = "fire_safety", ["level"] = "1", ["provider"] = "Trust Learning",
                ["completed_on"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
        };
        var response = await CallAsync(c, "issue", () => c.Hr.PostAsJsonAsync(new Uri($"api/staff/{unit.StaffId}/credentials", UriKind.Relative), body, ct));
        if (response is null)
            return false;
        unit.CredentialId = response.Value.GetProperty("id").GetGuid();
        unit.StatusListUri = response.Value.GetProperty("statusListUri").GetString();
        unit.StatusIndex = response.Value.GetProperty("statusIndex").GetInt64();
        return true;
    }

    private static async Task<bool> RevokeAsync(RunContext c, Unit unit, CancellationToken ct)
    {
        var response = await CallAsync(c, "revoke", () => c.Hr.PostAsJsonAsync(new Uri($"api/credentials/{unit.CredentialId}/revoke", UriKind.Relative),
            new { reason = "no_longer_valid" }, ct));
        unit.Revoked = response is not null;
        return unit.Revoked;
    }

    private static async Task<bool> DeployAsync(RunContext c, Unit unit, CancellationToken ct)
    {
        Guid decisionId;
        try
        {
            decisionId = await DecisionAsync(c, unit, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException or TimeoutException)
        {
            c.Attempt();
            c.Refuse();
            return false;
        }
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var response = await CallAsync(c, "deploy", () => c.Verifier.PostAsJsonAsync(new Uri("api/deployments", UriKind.Relative), new
        {
            decisionId, homeOdsCode = c.Home, staffId = unit.StaffId, hostSite = "Ward 7, City Hospital", start = today.AddDays(1), end = today.AddDays(20),
        }, ct));
        if (response is null)
            return false;
        unit.DeploymentId = response.Value.GetProperty("id").GetGuid();
        return true;
    }

    private static async Task<bool> EndAsync(RunContext c, Unit unit, CancellationToken ct)
    {
        var response = await CallAsync(c, "end", () => c.Verifier.PostAsync(new Uri($"api/deployments/{unit.DeploymentId}/end", UriKind.Relative), null, ct));
        unit.Ended = response is not null;
        return unit.Ended;
    }

    /// <summary>The accepted decision a deployment is made from, as the verification flow would record it.</summary>
    private static async Task<Guid> DecisionAsync(RunContext c, Unit unit, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var vct = $"{c.IssuerBase}vct/training";
        var outcomes = new List<RequirementOutcome>
        {
            new("training", vct, "met", "Met.",
                new CredentialReference(0, "training", $"{c.IssuerBase}issuers/{c.Home}", vct, DateTimeOffset.UtcNow.AddYears(1), unit.StatusListUri, unit.StatusIndex,
                    unit.StaffId.ToString()),
                new Dictionary<string, JsonNode?>()),
        };
        var decision = new Decision
        {
            OdsCode = c.Host, AgreementId = c.AgreementId, AgreementVersion = 1, Role = Role, Start = today, End = today.AddDays(60), Accepted = true,
            Nonce = Guid.NewGuid().ToString("N"), Source = Decision.FromDirectVerification, DecidedBy = "fault-driver", DecidedAt = DateTimeOffset.UtcNow,
            Requirements = outcomes,
        };
        await using var db = VerifierDb(c.VerifierConnection);
        db.Add(decision);
        await db.SaveChangesAsync(ct);
        return decision.Id;
    }

    /// <summary>One HTTP operation: its JSON body when acknowledged (2xx), null when refused or lost.</summary>
    private static async Task<JsonElement?> CallAsync(RunContext c, string kind, Func<Task<HttpResponseMessage>> send)
    {
        c.Attempt();
        try
        {
            using var response = await send();
            if (!response.IsSuccessStatusCode)
            {
                c.Refuse();
                return null;
            }
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            c.Ack(kind);
            return body;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            c.Refuse();
            // A service that is down refuses at once; without a pause the stream would spend its operations in a burst.
            await Task.Delay(250);
            return null;
        }
    }

    /// <summary>After a fault: issue, deploy and revoke until each is acknowledged, then wait for the flag to reach the home view.</summary>
    private static async Task<TimeSpan> CanaryAsync(RunContext c, Guid staffId, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var unit = new Unit { Plan = Plan.DeployRevoke, StaffId = staffId };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        while (!await IssueAsync(c, unit, limit.Token))
            await Task.Delay(100, limit.Token);
        while (!await DeployAsync(c, unit, limit.Token))
            await Task.Delay(100, limit.Token);
        while (!await RevokeAsync(c, unit, limit.Token))
        {
            if (await CredentialRevokedAsync(c, unit.CredentialId!.Value, limit.Token))
            {
                unit.Revoked = true;
                break;
            }
            await Task.Delay(100, limit.Token);
        }
        c.Canaries.Add(unit);
        while (true)
        {
            try
            {
                await using var db = VerifierDb(c.VerifierConnection);
                if (await db.Set<Deployment>().AsNoTracking().AnyAsync(d => d.Id == unit.DeploymentId && d.Flags.Count > 0, limit.Token))
                    return clock.Elapsed;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
            }
            await Task.Delay(100, limit.Token);
        }
    }

    private static async Task<bool> CredentialRevokedAsync(RunContext c, Guid id, CancellationToken ct)
    {
        try
        {
            await using var db = IssuerDb(c.IssuerConnection);
            return await db.Credentials.AnyAsync(x => x.Id == id && x.Status == Issuer.Credentials.CredentialStatus.Revoked, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task<TimeSpan> QuiesceAsync(string issuerConnection, string verifierConnection, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                await using var issuer = IssuerDb(issuerConnection);
                await using var verifier = VerifierDb(verifierConnection);
                var pending = await issuer.Set<OutboxMessage>().CountAsync(x => x.SentAt == null, ct)
                    + await verifier.Set<OutboxMessage>().CountAsync(x => x.SentAt == null, ct);
                var undelivered = (await Deliveries(issuer, verifier, ct)).Sum(d => d.Missing);
                if (pending == 0 && undelivered == 0)
                    return clock.Elapsed;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
            }
            await Task.Delay(500, ct);
        }
        return clock.Elapsed;
    }

    private sealed record Delivery(string Event, string Consumer, int Published, int Applied, int Missing);

    /// <summary>For each event type with a consumer on the other side: outbox rows, and how many of them that consumer's inbox lacks.</summary>
    private static async Task<List<Delivery>> Deliveries(IssuerDbContext issuer, VerifierDbContext verifier, CancellationToken ct)
    {
        var routes = new (DbContext From, DbContext To, Type Event, string Consumer)[]
        {
            (issuer, verifier, typeof(Contracts.CredentialRevoked), "CredentialRevokedConsumer"),
            (verifier, issuer, typeof(Contracts.DeploymentStarted), "DeploymentStartedConsumer"),
            (verifier, issuer, typeof(Contracts.DeploymentEnded), "DeploymentEndedConsumer"),
            (verifier, issuer, typeof(Contracts.DeploymentFlagged), "DeploymentFlaggedConsumer"),
        };
        var result = new List<Delivery>();
        foreach (var (from, to, type, consumer) in routes)
        {
            var published = await from.Set<OutboxMessage>().AsNoTracking().Where(x => x.MessageType == type.FullName).Select(x => x.MessageId).ToListAsync(ct);
            var applied = (await to.Set<InboxMessage>().AsNoTracking().Where(x => x.Consumer == consumer).Select(x => x.MessageId).ToListAsync(ct)).ToHashSet();
            result.Add(new Delivery(type.Name, consumer, published.Count, applied.Count, published.Count(id => !applied.Contains(id))));
        }
        return result;
    }

    private static async Task CheckAsync(RunContext c, List<Unit> plans, HttpClient management, string vhost, Action<string> say, List<string> failures,
        CancellationToken ct)
    {
        var units = plans.Concat(c.Canaries).ToList();
        await using var issuer = IssuerDb(c.IssuerConnection);
        await using var verifier = VerifierDb(c.VerifierConnection);
        void Expect(string what, long actual, long expected)
        {
            var ok = actual == expected;
            say($"  {(ok ? "ok  " : "OFF ")} {what}: {actual:N0}{(ok ? "" : $" (expected {expected:N0})")}");
            if (!ok)
                failures.Add($"{what}: {actual:N0}, expected {expected:N0}");
        }

        say("Checks");
        var issued = units.Where(u => u.CredentialId is not null).Select(u => u.CredentialId!.Value).ToList();
        Expect("acknowledged issues stored in the Issuer database", await issuer.Credentials.CountAsync(x => issued.Contains(x.Id), ct), issued.Count);
        var revoked = units.Where(u => u.Revoked).Select(u => u.CredentialId!.Value).ToList();
        Expect("acknowledged revocations stored", await issuer.Credentials.CountAsync(x => revoked.Contains(x.Id) && x.Status == Issuer.Credentials.CredentialStatus.Revoked, ct),
            revoked.Count);
        var deployed = units.Where(u => u.DeploymentId is not null).Select(u => u.DeploymentId!.Value).ToList();
        Expect("acknowledged deployments stored in the Verifier database", await verifier.Set<Deployment>().CountAsync(d => deployed.Contains(d.Id), ct), deployed.Count);
        var ended = units.Where(u => u.Ended).Select(u => u.DeploymentId!.Value).ToList();
        Expect("acknowledged ends stored", await verifier.Set<Deployment>().CountAsync(d => ended.Contains(d.Id) && d.State == DeploymentState.Ended, ct), ended.Count);

        Expect("Issuer outbox pending", await issuer.Set<OutboxMessage>().CountAsync(x => x.SentAt == null, ct), 0);
        Expect("Verifier outbox pending", await verifier.Set<OutboxMessage>().CountAsync(x => x.SentAt == null, ct), 0);
        foreach (var d in await Deliveries(issuer, verifier, ct))
        {
            say($"       {d.Event}: {d.Published:N0} published, {d.Applied:N0} applied by {d.Consumer}");
            Expect($"{d.Event} events not applied", d.Missing, 0);
        }

        // Every deployment, whatever its operations' acknowledgements: flagged exactly once if and only if its credential is revoked.
        var revokedEntries = (await issuer.Credentials.AsNoTracking().Where(x => x.Status == Issuer.Credentials.CredentialStatus.Revoked)
            .Select(x => new { x.StatusListId, x.StatusIndex }).ToListAsync(ct))
            .Select(x => $"{c.IssuerBase}status/{c.Home}/{x.StatusListId}#{x.StatusIndex}").ToHashSet(StringComparer.Ordinal);
        var deployments = await verifier.Set<Deployment>().AsNoTracking().ToListAsync(ct);
        var homeViews = (await issuer.Set<HomeDeployment>().AsNoTracking().ToListAsync(ct)).ToDictionary(h => h.Id);
        int wrongFlags = 0, expectedFlags = 0, flags = 0, homeMissing = 0, homeStarted = 0, homeFlagsOff = 0, homeEndOff = 0;
        foreach (var d in deployments)
        {
            var shouldFlag = d.State != DeploymentState.Ended && d.Credentials.Any(x => revokedEntries.Contains($"{x.StatusListUri}#{x.StatusIndex}"));
            var count = d.Flags.Count(f => f.Kind == "credential_revoked");
            flags += count;
            expectedFlags += shouldFlag ? 1 : 0;
            if (count != (shouldFlag ? 1 : 0) && !(d.State == DeploymentState.Ended && count <= 1))
                wrongFlags++;
            if (!homeViews.TryGetValue(d.Id, out var h))
            {
                homeMissing++;
                continue;
            }
            if (h.History.Count(e => e.Event == "started") != 1)
                homeStarted++;
            if (h.History.Count(e => e.Event == "flagged") != d.Flags.Count)
                homeFlagsOff++;
            if (d.State == DeploymentState.Ended && (h.State != DeploymentStates.Ended || h.History.Count(e => e.Event == "ended") != 1))
                homeEndOff++;
        }
        say($"       {deployments.Count:N0} deployments, {flags:N0} revocation flags");
        Expect("deployments whose revocation flags are not exactly one per revoked credential", wrongFlags, 0);
        Expect("deployments missing from the home organisation's view", homeMissing, 0);
        Expect("home views without exactly one 'started'", homeStarted, 0);
        Expect("home views whose 'flagged' entries differ from the Verifier's flags", homeFlagsOff, 0);
        Expect("ended deployments not ended exactly once in the home view", homeEndOff, 0);
        _ = expectedFlags;

        foreach (var (name, db) in new (string, DbContext)[] { ("Issuer", issuer), ("Verifier", verifier) })
        {
            var inbox = await db.Set<InboxMessage>().CountAsync(ct);
            var distinct = await db.Set<InboxMessage>().Select(x => new { x.MessageId, x.Consumer }).Distinct().CountAsync(ct);
            Expect($"{name} inbox duplicates ({inbox:N0} rows)", inbox - distinct, 0);
        }

        await MeasureAsync(issuer, verifier, say, ct);

        // The management API's queue statistics trail by a few seconds.
        await Task.Delay(TimeSpan.FromSeconds(6), ct);
        var queues = await management.GetFromJsonAsync<JsonElement>($"api/queues/{Uri.EscapeDataString(vhost)}?columns=name,messages", ct);
        var errorQueues = queues.EnumerateArray()
            .Where(q => q.GetProperty("name").GetString()!.EndsWith("_error", StringComparison.Ordinal))
            .Sum(q => q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0);
        Expect("messages in error queues", errorQueues, 0);
    }

    /// <summary>
    /// Latency from a revocation's commit to the flag on the deployment (both clocks are this machine's), and events per
    /// second through outbox, RabbitMQ and inbox: inbox rows over the span from the first outbox row to the last inbox row.
    /// </summary>
    private static async Task MeasureAsync(IssuerDbContext issuer, VerifierDbContext verifier, Action<string> say, CancellationToken ct)
    {
        var revokedAt = (await issuer.Credentials.AsNoTracking().Where(x => x.StatusChangedAt != null)
            .Select(x => new { x.Id, x.StatusChangedAt }).ToListAsync(ct)).ToDictionary(x => x.Id, x => x.StatusChangedAt!.Value);
        var latencies = (await verifier.Set<Deployment>().AsNoTracking().ToListAsync(ct))
            .SelectMany(d => d.Flags).Where(f => revokedAt.ContainsKey(f.CredentialId))
            .Select(f => (f.FlaggedAt - revokedAt[f.CredentialId]).TotalMilliseconds).Order().ToList();
        if (latencies.Count > 0)
        {
            double At(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
            say($"  revocation commit to deployment flag: p50 {At(0.50):N0} ms, p99 {At(0.99):N0} ms, max {latencies[^1]:N0} ms over {latencies.Count:N0} flags");
        }
        var outboxFirst = new[]
        {
            await issuer.Set<OutboxMessage>().MinAsync(x => (DateTimeOffset?)x.CreatedAt, ct),
            await verifier.Set<OutboxMessage>().MinAsync(x => (DateTimeOffset?)x.CreatedAt, ct),
        }.OfType<DateTimeOffset>().Min();
        var inboxes = new[]
        {
            (Count: await issuer.Set<InboxMessage>().CountAsync(ct), Last: await issuer.Set<InboxMessage>().MaxAsync(x => (DateTimeOffset?)x.ProcessedAt, ct)),
            (Count: await verifier.Set<InboxMessage>().CountAsync(ct), Last: await verifier.Set<InboxMessage>().MaxAsync(x => (DateTimeOffset?)x.ProcessedAt, ct)),
        };
        var last = inboxes.Select(i => i.Last).OfType<DateTimeOffset>().DefaultIfEmpty(outboxFirst).Max();
        var applied = inboxes.Sum(i => i.Count);
        var seconds = Math.Max(0.001, (last - outboxFirst).TotalSeconds);
        say($"  events applied through outbox, RabbitMQ and inbox: {applied:N0} in {seconds:N1} s, {applied / seconds:N0}/s");
    }

    private static async Task<IReadOnlyList<Guid>> SeedIssuerAsync(string connection, string home, int count, CancellationToken ct)
    {
        await using var db = IssuerDb(connection);
        var now = DateTimeOffset.UtcNow;
        db.Add(new Organisation { OdsCode = home, Name = $"Fault Run Trust {home}", CreatedAt = now });
        var staff = Enumerable.Range(0, count).Select(i => new StaffMember
        {
            OdsCode = home, GivenName = "Given" + i, FamilyName = "Family" + i, DateOfBirth = new DateOnly(1985, 1, 1).AddDays(i),
            AssignmentNumber = $"{10_000_000 + i}-1", JobTitle = "Staff Nurse", StaffGroup = "Nursing and Midwifery Registered", CreatedAt = now,
        }).ToList();
        db.AddRange(staff);
        await db.SaveChangesAsync(ct);
        return [.. staff.Select(s => s.Id)];
    }

    private static async Task<Guid> CreateAgreementAsync(HttpClient verifier, string host, string home, CancellationToken ct)
    {
        var agreement = new JsonObject
        {
            ["title"] = $"Mutual aid {host}-{home}",
            ["parties"] = new JsonArray(host, home),
            ["startsOn"] = "2020-01-01",
            ["endsOn"] = "2099-12-31",
            ["staffGroups"] = new JsonArray("Nursing and Midwifery Registered"),
            ["maxDeploymentDays"] = 90,
            ["homeApprovalRequired"] = false,
            ["roles"] = new JsonArray(new JsonObject
            {
                ["role"] = Role,
                ["requirements"] = new JsonArray(new JsonObject
                {
                    ["id"] = "training",
                    ["vct"] = "https://passport.test/vct/training",
                    ["conditions"] = new JsonArray(new JsonObject { ["claim"] = new JsonArray("subject"), ["equals"] = "fire_safety" }),
                }),
            }),
        };
        using var response = await verifier.PostAsJsonAsync(new Uri("api/agreements", UriKind.Relative), agreement, ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"The agreement was refused ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(ct)}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static HttpClient ManagementClient(FaultRunOptions o)
    {
        var client = new HttpClient { BaseAddress = o.RabbitMqApi, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(o.RabbitMq.UserInfo))));
        return client;
    }

    private static IssuerDbContext IssuerDb(string connection) => new(new DbContextOptionsBuilder<IssuerDbContext>()
        .UseNpgsql(connection, n => n.MigrationsHistoryTable("__ef_migrations", IssuerDbContext.Schema)).Options);

    private static VerifierDbContext VerifierDb(string connection) => new(new DbContextOptionsBuilder<VerifierDbContext>()
        .UseNpgsql(connection, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options);

    private static async Task ServerSqlAsync(string server, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
