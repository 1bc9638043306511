using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Passport.Load;

/// <summary>The run's figures as Markdown tables, printed and copied as they are into docs/benchmarks.md.</summary>
internal static class Report
{
    /// <summary>ES256 verifications in one verification of three key-bound credentials: an issuer signature and a KB-JWT each.</summary>
    public const int SignaturesPerVerification = 6;

    public sealed record Inputs
    {
        public required LoadOptions Options { get; init; }
        public required DriveResult Result { get; init; }
        public required DriveResult Warmup { get; init; }
        public required CpuUse Cpu { get; init; }

        /// <summary>From the window's start until the outbox had published every event of the window's decisions.</summary>
        public required CpuUse CpuWithDrain { get; init; }

        public required long OutboxBacklog { get; init; }
        public required double OutboxDrainSeconds { get; init; }
        public required long OutboxLeft { get; init; }
        public required string LoadBefore { get; init; }
        public required string LoadAfter { get; init; }
        public required RawVerifyCost RawBefore { get; init; }
        public required RawVerifyCost RawAfter { get; init; }
        public required int CoreRequests { get; init; }
        public required double CoreBefore { get; init; }
        public required double CoreAfter { get; init; }
        public required int PoolSize { get; init; }
        public required int MadeOnTheFly { get; init; }
        public required double? VerifierPeakWorkingSetMiB { get; init; }
        public required int MetadataFetches { get; init; }
        public required int StatusListFetches { get; init; }
    }

    public static string Write(Inputs run)
    {
        var r = run.Result;
        var cpu = run.Cpu;
        var perSecond = r.PerSecond;
        var raw = (run.RawBefore.CpuMicroseconds + run.RawAfter.CpuMicroseconds) / 2;
        var all = run.CpuWithDrain;
        // CPU microseconds per successful verification, counted until the outbox had published the window's events.
        double? PerVerification(double? cores) => cores is { } c && r.Succeeded > 0 ? c * all.WallSeconds * 1e6 / r.Succeeded : null;
        var verifierUs = PerVerification(all.Verifier);
        var postgresUs = PerVerification(all.Postgres);
        var known = cpu.Generator + (cpu.Verifier ?? 0) + (cpu.Postgres ?? 0) + (cpu.RabbitMq ?? 0);

        var s = new StringBuilder();
        s.AppendLine(Invariant($"Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {Machine()}"));
        var loop = run.Options.TargetRate > 0 ? $"open loop, {run.Options.TargetRate}/s due on a fixed schedule, latency from when each was due" : "closed loop";
        s.AppendLine(Invariant($"Load: {run.Options.Concurrency} concurrent requests ({loop}) for {r.ElapsedSeconds:F1} s after a {run.Options.WarmupSeconds} s warm-up; {run.Options.Staff} staff; {run.PoolSize:N0} request bodies made before the window, {run.MadeOnTheFly:N0} in it. Load average {run.LoadBefore} before, {run.LoadAfter} after."));
        s.AppendLine();
        s.AppendLine("| Verifications | |");
        s.AppendLine("|---|--:|");
        s.AppendLine(Invariant($"| Sustained (2xx per second) | **{perSecond:F0} /s** |"));
        s.AppendLine(Invariant($"| Requests: 2xx / non-2xx | {r.Succeeded:N0} / {r.Failed:N0} ({r.ErrorRate:P2}) |"));
        s.AppendLine(Invariant($"| Decisions accepted | {r.Accepted:N0} |"));
        s.AppendLine(Invariant($"| Latency p50 / p90 / p99 / max | {r.Percentile(50):F1} / {r.Percentile(90):F1} / {r.Percentile(99):F1} / {r.Percentile(100):F1} ms |"));
        s.AppendLine(Invariant($"| Warm-up rate | {run.Warmup.PerSecond:F0} /s |"));
        s.AppendLine(Invariant($"| Verifier working set, peak in the window (VmRSS every 250 ms) | {(run.VerifierPeakWorkingSetMiB is { } ws ? ws.ToString("F0", CultureInfo.InvariantCulture) + " MiB" : "n/a")} |"));
        s.AppendLine(Invariant($"| Issuer metadata / status list fetches by the Verifier, whole run | {run.MetadataFetches} / {run.StatusListFetches} |"));
        foreach (var (kind, count) in r.Failures)
            s.AppendLine(Invariant($"| Failures {kind} | {count:N0} |"));
        s.AppendLine();
        s.AppendLine(Invariant($"Outbox: {run.OutboxBacklog:N0} of the window's PresentationVerified events were not yet published when it ended; {(run.OutboxLeft == 0 ? "all were" : $"{run.OutboxLeft:N0} were still not")} published {run.OutboxDrainSeconds:F1} s later. CPU per verification counts until then."));
        s.AppendLine();
        s.AppendLine(Invariant($"| CPU | cores in the window (of {cpu.Cores}) | µs per verification, window + outbox drain |"));
        s.AppendLine("|---|--:|--:|");
        s.AppendLine(Row("Verifier process", cpu.Verifier, verifierUs));
        s.AppendLine(Row("PostgreSQL backends of the Verifier's database", cpu.Postgres, postgresUs));
        s.AppendLine(Row("RabbitMQ node (whole broker)", cpu.RabbitMq, PerVerification(all.RabbitMq)));
        s.AppendLine(Row("Load generator (this process)", cpu.Generator, PerVerification(all.Generator)));
        s.AppendLine(Row("Everything else on the machine", Math.Max(0, cpu.Machine - known), null));
        s.AppendLine(Row("Whole machine busy", cpu.Machine, null));
        s.AppendLine(Row("Steal (hypervisor)", cpu.Steal, null));
        s.AppendLine();
        s.AppendLine(Invariant($"| Raw ES256 verify, one thread, {run.RawBefore.Iterations:N0} × {run.RawBefore.InputBytes:N0} bytes | before | after |"));
        s.AppendLine("|---|--:|--:|");
        s.AppendLine(Invariant($"| CPU µs per verify | {run.RawBefore.CpuMicroseconds:F1} | {run.RawAfter.CpuMicroseconds:F1} |"));
        s.AppendLine(Invariant($"| Wall µs per verify | {run.RawBefore.WallMicroseconds:F1} | {run.RawAfter.WallMicroseconds:F1} |"));
        s.AppendLine(Invariant($"| Verifies per second per core | {run.RawBefore.VerifiesPerCoreSecond:N0} | {run.RawAfter.VerifiesPerCoreSecond:N0} |"));
        s.AppendLine(Invariant($"| Credential core alone: CPU µs per request's 3 presentations ({run.CoreRequests:N0} requests) | {run.CoreBefore:N0} | {run.CoreAfter:N0} |"));
        s.AppendLine();
        s.AppendLine(Invariant($"| Ratio to one raw ES256 verify ({raw:F1} CPU µs, mean of before and after) | per verification | per ES256 signature (÷ {SignaturesPerVerification}) |"));
        s.AppendLine("|---|--:|--:|");
        s.AppendLine(RatioRow("Verifier CPU", verifierUs, raw));
        s.AppendLine(RatioRow("Verifier + its PostgreSQL backends", verifierUs + postgresUs, raw));
        s.AppendLine(RatioRow("Credential core alone (same 3 presentations, one thread)", (run.CoreBefore + run.CoreAfter) / 2, raw));
        return s.ToString();
    }

    private static string Row(string name, double? cores, double? micros) =>
        Invariant($"| {name} | {(cores is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "n/a")} | {(micros is { } m ? m.ToString("N0", CultureInfo.InvariantCulture) : "")} |");

    private static string RatioRow(string name, double? micros, double raw) => micros is { } m
        ? Invariant($"| {name} ({m:N0} µs) | {m / raw:F1} | {m / raw / SignaturesPerVerification:F2} |")
        : $"| {name} | n/a | n/a |";

    private static string Machine()
    {
        var model = ReadField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = ReadField("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], CultureInfo.InvariantCulture, out var k)
            ? Invariant($"{k / 1024.0 / 1024.0:F1} GiB")
            : "?";
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : RuntimeInformation.OSDescription;
        return $"{model}, {Environment.ProcessorCount} cores, {memory}, Linux {kernel}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string? ReadField(string file, string name) =>
        File.Exists(file)
            ? File.ReadLines(file).Where(l => l.StartsWith(name, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
