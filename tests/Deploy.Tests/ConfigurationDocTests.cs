using System.Text.RegularExpressions;

namespace Passport.Deploy.Tests;

public sealed partial class ConfigurationDocTests
{
    private const string Doc = "docs/configuration.md";

    /// <summary>Rows of the page's tables whose first cell is a setting key (<c>`Section:Key`</c>), with their second cell.</summary>
    private static List<(string Key, string Environment)> DocumentedSettings() =>
        [.. Repository.Read(Doc).Split('\n')
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length > 3 && cells[0].Length == 0)
            .Select(cells => (Key: Code().Match(cells[1]), Environment: Code().Match(cells[2])))
            .Where(row => row.Key.Success && row.Key.Groups[1].Value.Contains(':', StringComparison.Ordinal))
            .Select(row => (row.Key.Groups[1].Value, row.Environment.Success ? row.Environment.Groups[1].Value : ""))];

    [Fact]
    public void The_configuration_page_documents_settings()
    {
        Assert.True(DocumentedSettings().Count > 40);
        Assert.True(Settings.BySection.Count >= 10, "the code's options sections were not found: " + string.Join(", ", Settings.BySection.Keys));
    }

    [Fact]
    public void Every_setting_the_configuration_page_names_exists_in_the_code()
    {
        var unknown = DocumentedSettings().Select(s => s.Key).Where(key => !Settings.Exists(key.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal))).ToList();

        Assert.True(unknown.Count == 0, $"{Doc} names settings the code does not bind: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_setting_the_code_binds_is_on_the_configuration_page()
    {
        var documented = DocumentedSettings().Select(s => s.Key.Split(":{")[0]).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = Settings.All().Where(s => !documented.Contains(s)).ToList();

        Assert.True(missing.Count == 0, $"settings missing from {Doc} (key, environment variable, default, meaning, production value): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Each_settings_environment_variable_is_its_key_with_double_underscores()
    {
        foreach (var (key, environment) in DocumentedSettings())
            Assert.Equal(key.Replace(":", "__", StringComparison.Ordinal), environment);
    }

    [Fact]
    public void Every_setting_the_deployment_files_set_is_on_the_configuration_page()
    {
        // A documented placeholder (`Web__Oidc__Scopes__{n}`, `Verifier__Trust__Issuers__{ODS}`) stands for any one name segment.
        var documented = DocumentedSettings()
            .Select(s => new Regex("^" + Placeholder().Replace(Regex.Escape(s.Environment).Replace(@"\{", "{", StringComparison.Ordinal), "[^_]+") + "$", RegexOptions.IgnoreCase))
            .ToList();
        var set = DeploymentSettings.Names().Where(n => n.Contains("__", StringComparison.Ordinal) && !n.StartsWith("Logging__", StringComparison.Ordinal));

        var missing = set.Where(n => !documented.Any(d => d.IsMatch(n))).ToList();

        Assert.True(missing.Count == 0, $"deploy/ sets settings that {Doc} does not document: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^`([^`]+)`$")]
    private static partial Regex Code();
}

/// <summary>The environment variable names that compose and the Kubernetes ConfigMaps and Secrets give the services.</summary>
internal static class DeploymentSettings
{
    public static IEnumerable<string> Names()
    {
        var compose = Repository.LoadYaml(Path.Combine(Repository.Deploy, "compose.yaml")).Single();
        var fromCompose = compose.Map("services").Values.SelectMany(s => s.Map("environment").Keys.Cast<string>());
        var fromKubernetes = Repository.KubernetesObjects()
            .Where(o => o.Object.Text("kind") is "ConfigMap" or "Secret")
            .SelectMany(o => o.Object.Map("data").Keys.Concat(o.Object.Map("stringData").Keys).Cast<string>())
            .Where(k => !k.StartsWith("tls.", StringComparison.Ordinal));
        return fromCompose.Concat(fromKubernetes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }
}
