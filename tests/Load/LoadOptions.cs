using System.Globalization;

namespace Passport.Load;

/// <summary>The load run's command line: <c>--name value</c> pairs, every one but the URLs and the key optional.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        usage: Passport.Load --url http://127.0.0.1:PORT/ --issuer-url http://127.0.0.1:PORT/ --token-key FILE
                             [--duration 60] [--warmup 10] [--concurrency 16] [--target-rate 0] [--staff 200] [--raw-iterations 20000]
                             [--verifier-pid PID] [--connection NPGSQL] [--report FILE]
               Passport.Load auth-settings --token-key FILE
        """;

    /// <summary>The Verifier's base URL, where requests are sent.</summary>
    public required Uri Url { get; init; }

    /// <summary>Where the stub issuer listens; the Verifier's <c>Verifier:Trust:IssuerBaseUrl</c>.</summary>
    public required Uri IssuerUrl { get; init; }

    /// <summary>The access token signing key (PKCS#8 PEM) whose JWKS the Verifier trusts.</summary>
    public required string TokenKey { get; init; }

    /// <summary>The Verifier's <c>Verifier:PublicBaseUrl</c>, on which the KB-JWT audience is built.</summary>
    public required Uri PublicBaseUrl { get; init; }

    public int DurationSeconds { get; init; } = 60;
    public int WarmupSeconds { get; init; } = 10;
    public int Concurrency { get; init; } = 16;

    /// <summary>
    /// Requests per second sent on a fixed schedule (open loop), by at most <see cref="Concurrency"/> requests in flight;
    /// 0 sends each worker's next request as soon as its last is answered (closed loop).
    /// </summary>
    public int TargetRate { get; init; }
    public int Staff { get; init; } = 200;
    public int RawIterations { get; init; } = 20_000;

    /// <summary>The Verifier's process id, for its CPU time from /proc.</summary>
    public int? VerifierPid { get; init; }

    /// <summary>The Verifier's database (Npgsql connection string): its outbox is drained around the window, and its backends found in /proc.</summary>
    public string? Connection { get; init; }

    /// <summary>A file the report is also written to (Markdown).</summary>
    public string? Report { get; init; }

    public static LoadOptions? Parse(string[] args, out string error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                error = $"Expected --name value pairs, got '{args[i]}'.";
                return null;
            }
            values[args[i][2..]] = args[i + 1];
        }
        string[] known = ["url", "issuer-url", "token-key", "public-base-url", "duration", "warmup", "concurrency", "target-rate", "staff", "raw-iterations", "verifier-pid", "connection", "report"];
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            error = $"Unknown option --{unknown}.";
            return null;
        }
        if (!values.TryGetValue("url", out var url) || !values.TryGetValue("issuer-url", out var issuer) || !values.TryGetValue("token-key", out var key))
        {
            error = "Give --url, --issuer-url and --token-key.";
            return null;
        }
        var verifier = BaseUri(url);
        var duration = Int(values, "duration", 60);
        // The request bodies are made before the window, and a KB-JWT older than 5 minutes (plus skew) is refused as stale.
        if (duration is < 5 or > 240)
        {
            error = "--duration is 5 to 240 seconds.";
            return null;
        }
        error = "";
        return new LoadOptions
        {
            Url = verifier,
            IssuerUrl = BaseUri(issuer),
            TokenKey = key,
            PublicBaseUrl = values.TryGetValue("public-base-url", out var publicBase) ? BaseUri(publicBase) : verifier,
            DurationSeconds = duration,
            WarmupSeconds = Int(values, "warmup", 10),
            Concurrency = Int(values, "concurrency", 16),
            TargetRate = Math.Max(0, Int(values, "target-rate", 0)),
            Staff = Int(values, "staff", 200),
            RawIterations = Int(values, "raw-iterations", 20_000),
            VerifierPid = values.TryGetValue("verifier-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            Connection = values.GetValueOrDefault("connection"),
            Report = values.GetValueOrDefault("report"),
        };
    }

    private static Uri BaseUri(string value) => new(value.EndsWith('/') ? value : value + "/", UriKind.Absolute);

    private static int Int(Dictionary<string, string> values, string name, int fallback) =>
        values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
