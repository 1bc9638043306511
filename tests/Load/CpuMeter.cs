using System.Diagnostics;
using System.Globalization;

namespace Passport.Load;

/// <summary>CPU seconds used so far, per party, read from /proc (Linux).</summary>
internal sealed record CpuSample
{
    public required long Timestamp { get; init; }
    public required double Generator { get; init; }
    public required double? Verifier { get; init; }

    /// <summary>Per PostgreSQL backend of the Verifier's database: pid to CPU seconds.</summary>
    public required IReadOnlyDictionary<int, double> Postgres { get; init; }

    public required double? RabbitMq { get; init; }
    public required double MachineBusy { get; init; }
    public required double MachineSteal { get; init; }
    public required double MachineTotal { get; init; }
    public required string LoadAverage { get; init; }
}

/// <summary>What each party used between two samples, in cores (CPU seconds per wall second).</summary>
internal sealed record CpuUse(double WallSeconds, double Generator, double? Verifier, double? Postgres, double? RabbitMq, double Machine, double Steal, int Cores)
{
    public static CpuUse Between(CpuSample before, CpuSample after)
    {
        var wall = Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
        var cores = Environment.ProcessorCount;
        // A backend that was not there at the start counts whole; one that left is lost (the pool keeps them open).
        var postgres = after.Postgres.Count == 0 ? (double?)null
            : after.Postgres.Sum(p => p.Value - before.Postgres.GetValueOrDefault(p.Key));
        var machineWall = (after.MachineTotal - before.MachineTotal) / cores;
        return new CpuUse(
            wall,
            (after.Generator - before.Generator) / wall,
            after.Verifier - before.Verifier is { } v ? v / wall : null,
            postgres / wall,
            after.RabbitMq - before.RabbitMq is { } r ? r / wall : null,
            (after.MachineBusy - before.MachineBusy) / machineWall,
            (after.MachineSteal - before.MachineSteal) / machineWall,
            cores);
    }
}

internal sealed class CpuMeter(int? verifierPid, string? database)
{
    // USER_HZ: /proc reports times in these ticks; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public CpuSample Sample()
    {
        using var self = Process.GetCurrentProcess();
        var machine = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture) / TicksPerSecond).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already inside user)
        var total = machine.Take(8).Sum();
        return new CpuSample
        {
            Timestamp = Stopwatch.GetTimestamp(),
            Generator = self.TotalProcessorTime.TotalSeconds,
            Verifier = verifierPid is { } pid ? ProcessSeconds(pid) : null,
            Postgres = database is null ? new Dictionary<int, double>() : Backends(database),
            RabbitMq = RabbitMqNode(),
            MachineBusy = total - machine[3] - machine[4] - machine[7],
            MachineSteal = machine[7],
            MachineTotal = total,
            LoadAverage = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)),
        };
    }

    /// <summary>utime + stime of a process: fields 14 and 15 of /proc/PID/stat, counted after the parenthesised name.</summary>
    private static double? ProcessSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<(int Pid, string CommandLine)> Processes()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            yield return (pid, commandLine);
        }
    }

    /// <summary>PostgreSQL names each backend's process "postgres: USER DATABASE HOST(PORT) STATE".</summary>
    private static Dictionary<int, double> Backends(string database)
    {
        var found = new Dictionary<int, double>();
        foreach (var (pid, commandLine) in Processes())
        {
            if (commandLine.StartsWith("postgres: ", StringComparison.Ordinal) && commandLine.Contains($" {database} ", StringComparison.Ordinal)
                && ProcessSeconds(pid) is { } seconds)
                found[pid] = seconds;
        }
        return found;
    }

    /// <summary>The RabbitMQ node's Erlang VM; shared with anything else that uses the broker.</summary>
    private static double? RabbitMqNode()
    {
        var node = Processes().FirstOrDefault(p => p.CommandLine.Contains("beam.smp", StringComparison.Ordinal) && p.CommandLine.Contains("-s rabbit boot", StringComparison.Ordinal));
        return node.CommandLine is null ? null : ProcessSeconds(node.Pid);
    }
}
