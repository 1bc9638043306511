using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Passport.Load;

/// <summary>What one phase of the run saw. Latencies are of 2xx answers only, from sending the request to the end of the body.</summary>
internal sealed record DriveResult(double ElapsedSeconds, long[] LatencyTicks, int Succeeded, int Accepted, IReadOnlyDictionary<string, int> Failures,
    IReadOnlyList<string> FailureSamples)
{
    public int Failed => Failures.Values.Sum();

    public int Requests => Succeeded + Failed;

    public double PerSecond => Succeeded / ElapsedSeconds;

    public double ErrorRate => Requests == 0 ? 0 : (double)Failed / Requests;

    /// <summary>Nearest-rank percentile, in milliseconds.</summary>
    public double Percentile(double p)
    {
        if (LatencyTicks.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * LatencyTicks.Length);
        return LatencyTicks[Math.Clamp(rank - 1, 0, LatencyTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// Closed-loop load: a fixed number of workers, each sending its next request as soon as the previous one is answered. With a
/// target rate, open loop: request k is due at k ÷ rate seconds, and its latency counts from then, so that a server falling
/// behind shows as latency (waiting for a free worker included) rather than as a slower schedule.
/// </summary>
internal static class LoadDriver
{
    private static readonly Uri VerifyPath = new("api/verify", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(16_384);
        public Dictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);
        public List<string> Samples { get; } = [];
        public int Succeeded { get; set; }
        public int Accepted { get; set; }

        public void Fail(string kind, string detail)
        {
            Failures[kind] = Failures.GetValueOrDefault(kind) + 1;
            if (Samples.Count < 3)
                Samples.Add($"{kind}: {(detail.Length > 400 ? detail[..400] : detail)}");
        }
    }

    private sealed class Schedule(long start, int rate)
    {
        private long _next = -1;

        /// <summary>When the next request is due, in <see cref="Stopwatch"/> ticks.</summary>
        public long Next() => start + (long)(Interlocked.Increment(ref _next) * (double)Stopwatch.Frequency / rate);
    }

    public static async Task<DriveResult> DriveAsync(HttpClient http, RequestPool pool, int concurrency, TimeSpan duration, int targetRate = 0)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var schedule = targetRate > 0 ? new Schedule(start, targetRate) : null;
        var workers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(http, pool, deadline, schedule))));
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;

        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        var failures = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (kind, count) in workers.SelectMany(w => w.Failures))
            failures[kind] = failures.GetValueOrDefault(kind) + count;
        return new DriveResult(elapsed, latencies, workers.Sum(w => w.Succeeded), workers.Sum(w => w.Accepted), failures,
            [.. workers.SelectMany(w => w.Samples).Take(5)]);
    }

    private static async Task<Worker> WorkAsync(HttpClient http, RequestPool pool, long deadline, Schedule? schedule)
    {
        var worker = new Worker();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var body = await pool.NextAsync();
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = Json;
            var sent = Stopwatch.GetTimestamp();
            if (schedule is not null)
            {
                var due = schedule.Next();
                if (due >= deadline)
                    break;
                if (Stopwatch.GetElapsedTime(sent, due) is { TotalMilliseconds: > 1 } wait)
                    await Task.Delay(wait);
                sent = due;
            }
            try
            {
                using var response = await http.PostAsync(VerifyPath, content);
                var answer = await response.Content.ReadAsByteArrayAsync();
                var took = Stopwatch.GetTimestamp() - sent;
                if (response.IsSuccessStatusCode)
                {
                    worker.Latencies.Add(took);
                    worker.Succeeded++;
                    if (answer.AsSpan().IndexOf("\"accepted\":true"u8) >= 0)
                        worker.Accepted++;
                }
                else
                {
                    worker.Fail(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(answer));
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                worker.Fail(e.GetType().Name, e.Message);
            }
        }
        return worker;
    }
}
