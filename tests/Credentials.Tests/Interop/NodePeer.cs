using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Passport.Credentials.Tests.Interop;

/// <summary>What the npm peer answered: its JSON result, or the message it wrote to stderr.</summary>
internal sealed record PeerAnswer(JsonObject? Result, string Error)
{
    public bool Succeeded => Result is not null;
}

/// <summary>
/// Runs <c>tests/interop/peer.mjs</c>, a command-line peer on the OpenWallet Foundation's @sd-jwt libraries:
/// one JSON request on stdin, one JSON answer on stdout.
/// </summary>
internal static class NodePeer
{
    // A cold start of Node with the libraries takes well under a second; this only stops a hung process.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<string> InteropDirectory = new(Locate);

    /// <summary>Runs one operation and fails the test when the peer refuses it.</summary>
    public static async Task<JsonObject> RunAsync(JsonObject request)
    {
        var answer = await TryRunAsync(request);
        Assert.True(answer.Succeeded, $"The npm peer refused '{request["op"]}': {answer.Error}");
        return answer.Result!;
    }

    public static async Task<PeerAnswer> TryRunAsync(JsonObject request)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropDirectory.Value,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("peer.mjs");

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"Could not start 'node' ({e.Message}). The interop tests need Node.js 20 or later on the PATH.");
        }

        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.StandardInput.WriteAsync(request.ToJsonString().AsMemory(), timeout.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The npm peer did not answer '{request["op"]}' within {Timeout.TotalSeconds:0} s.");
        }

        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
            return new PeerAnswer(null, $"exit code {process.ExitCode}: {error.Trim()}");
        return JsonNode.Parse(output) is JsonObject result
            ? new PeerAnswer(result, "")
            : new PeerAnswer(null, $"the answer is not a JSON object: {output}");
    }

    // Found by walking up to the solution, so the test project needs no copy items.
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Passport.sln")))
                continue;
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            if (!Directory.Exists(Path.Combine(interop, "node_modules", "@sd-jwt", "sd-jwt-vc")))
            {
                Assert.Fail($"The npm peer's packages are not installed in {interop}. "
                    + "Run 'bash tests/run.sh', or 'npm ci --prefix tests/interop' from the repository root, then run the tests again.");
            }
            return interop;
        }
        Assert.Fail($"Could not find Passport.sln above {AppContext.BaseDirectory}, so the npm peer in tests/interop cannot be located.");
        return "";
    }
}
