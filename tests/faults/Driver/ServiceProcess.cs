using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Passport.Faults;

/// <summary>One Passport service as a process of its own (<c>dotnet Passport.X.dll</c>) on a loopback port, its output in a log file.</summary>
public sealed class ServiceProcess(string name, string dll, IReadOnlyDictionary<string, string> environment, string logFile, int? port = null) : IAsyncDisposable
{
    private Process? _process;
    private StreamWriter? _log;

    public string Name => name;

    /// <summary>The environment it runs with, for a second instance of the same service.</summary>
    public IReadOnlyDictionary<string, string> Environment => environment;
    public int Port { get; } = port ?? FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        _log ??= new StreamWriter(logFile, append: true) { AutoFlush = true };
        var log = _log;
        await log.WriteLineAsync($"---- start {DateTimeOffset.UtcNow:O}");
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{name} exited with {_process.ExitCode} while starting; see {logFile}.");
            try
            {
                if ((await http.GetAsync(new Uri(BaseAddress, "health/ready"))).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{name} was not ready within {timeout.TotalSeconds} s; see {logFile}.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no graceful stop of the dispatcher or the bus.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: false);
            await p.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_log is not null)
            await _log.DisposeAsync();
    }
}
