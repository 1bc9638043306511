using System.Collections.Concurrent;

namespace Passport.Verifier.Trust;

/// <summary>
/// At most one run of a fetch per key at a time: callers asking for the same key while it runs share its result. The run
/// is not cancelled by any one caller (it has its own time bound); a caller that gives up stops waiting.
/// </summary>
internal sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TResult>>> _running = new(StringComparer.Ordinal);

    public Task<TResult> RunAsync(string key, Func<Task<TResult>> run, CancellationToken cancellationToken)
    {
        var mine = new Lazy<Task<TResult>>(run);
        var current = _running.GetOrAdd(key, mine);
        if (ReferenceEquals(current, mine))
        {
            _ = mine.Value.ContinueWith(
                _ => _running.TryRemove(new KeyValuePair<string, Lazy<Task<TResult>>>(key, mine)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return current.Value.WaitAsync(cancellationToken);
    }
}
