using System.Globalization;

namespace Passport.Load;

/// <summary>The Verifier's resident set (VmRSS, what dotnet-counters calls its working set), sampled every 250 ms while a phase runs.</summary>
internal sealed class WorkingSet : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakKb;

    private WorkingSet(int pid) => _sampling = SampleAsync(pid, _stop.Token);

    /// <summary>The largest resident set seen, in MiB; null when there is no Verifier process to read.</summary>
    public double? PeakMiB => Volatile.Read(ref _peakKb) is > 0 and var kb ? kb / 1024.0 : null;

    public static WorkingSet? Watch(int? pid) => pid is { } p && File.Exists($"/proc/{p}/status") ? new WorkingSet(p) : null;

    private async Task SampleAsync(int pid, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        do
        {
            if (Read(pid) is { } kb && kb > _peakKb)
                Volatile.Write(ref _peakKb, kb);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private static long? Read(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
