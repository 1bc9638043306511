using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Passport.Benchmarks;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args is ["bulk-issuance", .. var rest])
            return await BulkIssuanceRun.RunAsync(rest);
        if (args is ["events", .. var events])
            return await EventsRun.RunAsync(events);
        if (args is ["verify-steps", .. var steps])
            return await VerifyStepsRun.RunAsync(steps);
        if (args is ["side-by-side", .. var sideBySide])
            return await SideBySideRun.RunAsync(sideBySide);
        // In-process, because the out-of-process toolchain looks for a project file named after the assembly
        // (Passport.Benchmarks.csproj), and this one is Benchmarks.csproj.
        List<string> options = [.. args];
        if (!options.Contains("--inProcess", StringComparer.OrdinalIgnoreCase))
            options.Add("--inProcess");
        // Without --job, a short custom job keeps `--filter '*'` to a few minutes on a 2-core machine.
        if (!options.Any(a => a is "--job" or "-j" or "--iterationCount" or "--warmupCount" or "--launchCount"))
            options.AddRange(["--launchCount", "1", "--warmupCount", "4", "--iterationCount", "12"]);
        var config = DefaultConfig.Instance
            .WithArtifactsPath(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../BenchmarkDotNet.Artifacts")));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. options], config);
        return 0;
    }
}
