using System.Text.RegularExpressions;

namespace Passport.Deploy.Tests;

/// <summary>Where a newcomer looks for things: a feature's routes in its <c>*Endpoints.cs</c>, its registrations in its module.</summary>
public sealed partial class LayoutTests
{
    [Fact]
    public void An_endpoints_file_only_maps_routes()
    {
        var offenders = Directory.EnumerateFiles(Repository.PathOf("src"), "*Endpoints.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Registration().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .ToList();
        Assert.True(offenders.Count == 0, $"These files register services or consumers; move that to the feature's module: {string.Join(", ", offenders)}");
    }

    [GeneratedRegex(@"\.Services\.|\bservices\.Add|\bAddConsumer<|\bAddHostedService\b|\bthis IHostApplicationBuilder\b|\bthis IBusRegistrationConfigurator\b")]
    private static partial Regex Registration();
}
