using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Passport.Testing;

/// <summary>
/// What a service's OpenAPI document must say of every operation, and Redocly's recommended rules
/// (<c>tests/openapi</c>, npm <c>@redocly/cli</c>) run on it as an independent reader.
/// </summary>
public static class OpenApiChecks
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    /// <summary>
    /// One line per operation that lacks a summary, a security requirement (the roles it accepts, or <c>[{}]</c> for
    /// an anonymous operation) or a 4xx response.
    /// </summary>
    public static IReadOnlyList<string> Gaps(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var gaps = new List<string>();
        foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
        {
            foreach (var (method, node) in item?.AsObject() ?? [])
            {
                if (!Methods.Contains(method) || node is not JsonObject operation)
                    continue;
                var name = $"{method.ToUpperInvariant()} {path}";
                if (string.IsNullOrWhiteSpace((string?)operation["summary"]))
                    gaps.Add($"{name}: no summary (.WithSummary)");
                if (operation["security"] is not JsonArray { Count: > 0 })
                    gaps.Add($"{name}: no security requirement (RequireAuthorization(policy), or AllowAnonymous() for [{{}}])");
                if (!(operation["responses"]?.AsObject() ?? []).Any(r => r.Key.StartsWith('4')))
                    gaps.Add($"{name}: no 4xx response (.ProducesProblem)");
            }
        }
        return gaps;
    }

    /// <summary>Runs <c>redocly lint</c> with the recommended rules; returns its error and warning counts and its report.</summary>
    public static async Task<(int Errors, int Warnings, string Report)> LintAsync(string document, TimeSpan timeout)
    {
        var folder = Locate();
        var file = Path.Combine(Path.GetTempPath(), $"openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { Path.Combine("node_modules", "@redocly", "cli", "bin", "cli.js"), "lint", file, "--config", "redocly.yaml", "--format", "stylish", "--max-problems", "10000" })
                start.ArgumentList.Add(argument);
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            start.Environment["NO_COLOR"] = "1";
            using var process = new Process { StartInfo = start };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException($"Could not start 'node' ({e.Message}). The OpenAPI lint needs Node.js 20 or later on the PATH.", e);
            }
            using var cancel = new CancellationTokenSource(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
            var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"redocly lint did not finish within {timeout.TotalSeconds:0} s.");
            }
            var report = (await stdout) + (await stderr);
            var (errors, warnings) = (Count(report, "error"), Count(report, "warning"));
            if (process.ExitCode != 0 && errors == 0)
                errors = 1;
            return (errors, warnings, report);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The stylish format prints each problem on a line of its own: "  12:3  error    operation-summary  ...".
    private static int Count(string report, string severity) =>
        report.Split('\n').Count(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var level, ..] && level == severity);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Passport.sln")))
                continue;
            var folder = Path.Combine(dir.FullName, "tests", "openapi");
            if (!File.Exists(Path.Combine(folder, "node_modules", "@redocly", "cli", "bin", "cli.js")))
            {
                throw new InvalidOperationException($"Redocly CLI is not installed in {folder}. "
                    + "Run 'bash tests/run.sh', or 'npm ci --prefix tests/openapi' from the repository root, then run the tests again.");
            }
            return folder;
        }
        throw new InvalidOperationException("Could not find Passport.sln above the test binaries, so tests/openapi cannot be located.");
    }
}
