using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Passport.Issuer.Tests.Offers;

/// <summary>
/// Runs <c>tests/interop/wallet.mjs</c>, an OpenID4VCI wallet on <c>@openid4vc/openid4vci</c> and <c>@sd-jwt/*</c>:
/// one JSON request on stdin, one JSON answer on stdout, or a message on stderr and exit code 1.
/// </summary>
internal static class NodeWallet
{
    // Only stops a hung process; a run takes about a second.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<(JsonObject? Result, string Error)> RunAsync(JsonObject request)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Locate(),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("wallet.mjs");
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
            Assert.Fail($"The npm wallet did not finish within {Timeout.TotalSeconds:0} s.");
        }
        var output = await stdout;
        var error = await stderr;
        if (process.ExitCode != 0)
            return (null, $"exit code {process.ExitCode}: {error.Trim()}");
        return JsonNode.Parse(output) is JsonObject result ? (result, "") : (null, $"the answer is not a JSON object: {output}");
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Passport.sln")))
                continue;
            var interop = Path.Combine(dir.FullName, "tests", "interop");
            if (!Directory.Exists(Path.Combine(interop, "node_modules", "@openid4vc", "openid4vci")))
            {
                Assert.Fail($"The npm wallet's packages are not installed in {interop}. "
                    + "Run 'bash tests/run.sh', or 'npm ci --prefix tests/interop' from the repository root, then run the tests again.");
            }
            return interop;
        }
        Assert.Fail($"Could not find Passport.sln above {AppContext.BaseDirectory}, so tests/interop cannot be located.");
        return "";
    }
}
