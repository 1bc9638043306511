using Passport.Faults;
using Passport.Testing;
using Xunit.Abstractions;

namespace Passport.Events.Tests;

/// <summary>
/// The fault run of <c>tests/faults/run.sh</c>, smaller and with faults that touch only its own virtual host, databases
/// and processes: the Issuer and Verifier run as processes of their own, the Issuer is SIGKILLed and restarted, the
/// run's broker connections are cut for seconds, and its database sessions terminated.
/// </summary>
public sealed class FaultRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Under_broker_process_and_database_faults_no_acknowledged_operation_or_event_is_lost_or_applied_twice()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = bin.Parent!.Name;
        var repository = bin.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string Dll(string service) => Path.Combine(repository, "src", service, "bin", configuration, bin.Name, $"Passport.{service}.dll");
        var writer = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        var result = await FaultRun.RunAsync(new FaultRunOptions
        {
            Ops = 400,
            Concurrency = 8,
            Faults = FaultMode.Local,
            FaultDuration = TimeSpan.FromSeconds(3),
            QuiesceTimeout = TimeSpan.FromSeconds(90),
            Postgres = TestEnvironment.Postgres,
            RabbitMq = TestEnvironment.RabbitMq,
            RabbitMqApi = TestEnvironment.RabbitMqManagement,
            IssuerDll = Dll("Issuer"),
            VerifierDll = Dll("Verifier"),
        }, writer, timeout.Token);

        output.WriteLine(writer.ToString());
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Failures));
    }
}
