using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Passport.Testing;

/// <summary>
/// Runs a script of the npm interop package in <c>tests/interop</c> as an independent peer: one JSON request on stdin,
/// one JSON answer on stdout, or a message on stderr and a non-zero exit code.
/// </summary>
public static class NodeScript
{
    public static async Task<(JsonObject? Result, string Error)> RunAsync(string script, JsonObject request, IEnumerable<string> requiredPackages, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Locate(requiredPackages),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start 'node' ({e.Message}). The interop tests need Node.js 20 or later on the PATH.", e);
        }

        using var cancel = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.StandardInput.WriteAsync(request.ToJsonString().AsMemory(), cancel.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not answer within {timeout.TotalSeconds:0} s.");
        }
        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
            return (null, $"exit code {process.ExitCode}: {error.Trim()}");
        return JsonNode.Parse(output) is JsonObject result ? (result, "") : (null, $"the answer is not a JSON object: {output}");
    }

    private static string Locate(IEnumerable<string> requiredPackages)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Passport.sln")))
                continue;
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            if (requiredPackages.Any(p => !Directory.Exists(Path.Combine(interop, "node_modules", p))))
            {
                throw new InvalidOperationException($"The npm interop packages are not installed in {interop}. "
                    + "Run 'bash tests/run.sh', or 'npm ci --prefix tests/interop' from the repository root, then run the tests again.");
            }
            return interop;
        }
        throw new InvalidOperationException("Could not find Passport.sln above the test binaries, so tests/interop cannot be located.");
    }
}
