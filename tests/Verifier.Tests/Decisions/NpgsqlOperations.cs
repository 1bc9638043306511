using System.Collections.Concurrent;
using System.Diagnostics;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>
/// What Npgsql sends to one database while it is alive, one entry per round trip (a command or a whole batch), from Npgsql's
/// own activity source. EF Core's command events would miss some: a batch written straight to the connection, and, with the
/// pooled context, commands of an instance whose logger last looked for listeners before this one subscribed (it caches that).
/// </summary>
internal sealed class NpgsqlOperations : IDisposable
{
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly ActivityListener _listener;

    public NpgsqlOperations(string database)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.namespace") as string == database && activity.GetTagItem("db.query.text") is string text)
                    _texts.Enqueue(text);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Texts => [.. _texts];

    public void Dispose() => _listener.Dispose();
}
