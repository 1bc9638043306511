using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Passport.Faults;

public enum FaultMode
{
    /// <summary>No faults: a clean run, for throughput.</summary>
    None,

    /// <summary>
    /// Faults that touch only this run: its RabbitMQ connections are closed (and closed again as they come back) through
    /// the management API, the Issuer process is SIGKILLed, and its databases' backends are terminated. Safe beside other tests.
    /// </summary>
    Local,

    /// <summary>The real thing, through shell commands: RabbitMQ stopped and started, PostgreSQL stopped in immediate mode and started.</summary>
    Infra,
}

/// <summary>The three faults, each: break, hold for a while, restore.</summary>
internal sealed class FaultInjector(FaultRunOptions options, string vhost, string[] databases, HttpClient management, TextWriter log)
{
    public async Task BrokerAsync(CancellationToken cancellationToken)
    {
        if (options.Faults == FaultMode.Infra)
        {
            await ShellAsync(options.RabbitStop!, cancellationToken);
            await Task.Delay(options.FaultDuration, cancellationToken);
            await ShellAsync(options.RabbitStart!, cancellationToken);
            return;
        }
        await HoldAsync(CloseConnectionsAsync, cancellationToken);
    }

    public async Task DatabaseAsync(CancellationToken cancellationToken)
    {
        if (options.Faults == FaultMode.Infra)
        {
            await ShellAsync(options.PostgresStop!, cancellationToken);
            await Task.Delay(options.FaultDuration, cancellationToken);
            await ShellAsync(options.PostgresStart!, cancellationToken);
            return;
        }
        await HoldAsync(TerminateBackendsAsync, cancellationToken);
    }

    private async Task HoldAsync(Func<CancellationToken, Task> breakOnce, CancellationToken cancellationToken)
    {
        var held = Stopwatch.StartNew();
        while (held.Elapsed < options.FaultDuration)
        {
            await breakOnce(cancellationToken);
            await Task.Delay(250, cancellationToken);
        }
    }

    private async Task CloseConnectionsAsync(CancellationToken cancellationToken)
    {
        var connections = await management.GetFromJsonAsync<JsonElement>($"api/vhosts/{Uri.EscapeDataString(vhost)}/connections", cancellationToken);
        foreach (var c in connections.EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            using var response = await management.DeleteAsync(new Uri($"api/connections/{Uri.EscapeDataString(name)}", UriKind.Relative), cancellationToken);
        }
    }

    private async Task TerminateBackendsAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(options.Postgres);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ANY(@names) AND pid <> pg_backend_pid()", connection);
        command.Parameters.AddWithValue("names", databases);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task ShellAsync(string command, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken) + await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            await log.WriteLineAsync($"  fault command exited {process.ExitCode}: {command}\n{output}");
    }
}
