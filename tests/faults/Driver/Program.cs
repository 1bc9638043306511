using Passport.Faults;

// tests/faults/run.sh passes the servers and the fault commands; see FaultRun for the operations and the checks.
// A later --name wins, so that run.sh's defaults can be overridden.
var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal))
        arguments[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : "true";
}
string Arg(string name, string? fallback = null) =>
    arguments.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name) ?? fallback
        ?? throw new ArgumentException($"--{name} is required.");

var options = new FaultRunOptions
{
    Ops = int.Parse(Arg("ops", "10000"), System.Globalization.CultureInfo.InvariantCulture),
    Concurrency = int.Parse(Arg("concurrency", "12"), System.Globalization.CultureInfo.InvariantCulture),
    Faults = Enum.Parse<FaultMode>(Arg("faults", "Infra"), ignoreCase: true),
    Postgres = Arg("PASSPORT_TEST_POSTGRES"),
    RabbitMq = new Uri(Arg("PASSPORT_TEST_RABBITMQ")),
    RabbitMqApi = new Uri(Arg("PASSPORT_TEST_RABBITMQ_API")),
    IssuerDll = Path.GetFullPath(Arg("issuer-dll")),
    VerifierDll = Path.GetFullPath(Arg("verifier-dll")),
    RabbitStop = Arg("rabbit-stop", ""),
    RabbitStart = Arg("rabbit-start", ""),
    PostgresStop = Arg("postgres-stop", ""),
    PostgresStart = Arg("postgres-start", ""),
    Keep = arguments.ContainsKey("keep"),
    Instances = int.Parse(Arg("instances", "1"), System.Globalization.CultureInfo.InvariantCulture),
    // How long each outage lasts: the broker or the database is down, the killed Issuer stays down, for this long.
    FaultDuration = TimeSpan.FromSeconds(double.Parse(Arg("fault-seconds", "5"), System.Globalization.CultureInfo.InvariantCulture)),
};
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(15));
var result = await FaultRun.RunAsync(options, Console.Out, cancel.Token);
return result.Passed ? 0 : 1;
