using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Passport.Deploy.Tests;

/// <summary>The repository's files as the deploy checks read them: text, and YAML as plain maps, lists and strings.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Deploy => Path.Combine(Root, "deploy");

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static IEnumerable<string> YamlFiles() =>
        Directory.EnumerateFiles(Deploy, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<string> Dockerfiles() =>
        Directory.EnumerateFiles(Deploy, "*.Dockerfile").Order(StringComparer.Ordinal);

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Every document of a YAML stream, merge keys (<c>&lt;&lt;: *anchor</c>) applied.</summary>
    public static List<object?> LoadYaml(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var parser = new MergingParser(new Parser(reader));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<object?>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
            documents.Add(deserializer.Deserialize<object?>(parser));
        parser.Consume<StreamEnd>();
        return documents;
    }

    /// <summary>Every Kubernetes object in <c>deploy/k8s</c>, with the file it came from.</summary>
    public static List<(string File, Dictionary<object, object?> Object)> KubernetesObjects() =>
        [.. Directory.EnumerateFiles(Path.Combine(Deploy, "k8s"), "*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => LoadYaml(f).OfType<Dictionary<object, object?>>().Select(o => (Relative(f), o)))];

    public static IEnumerable<Dictionary<object, object?>> OfKind(string kind) =>
        KubernetesObjects().Where(o => o.Object.Text("kind") == kind).Select(o => o.Object);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Passport.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Passport.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Walking a deserialised YAML tree without a schema.</summary>
internal static class YamlNode
{
    public static object? At(this object? node, params string[] path)
    {
        foreach (var key in path)
            node = node is Dictionary<object, object?> map && map.TryGetValue(key, out var next) ? next : null;
        return node;
    }

    public static Dictionary<object, object?> Map(this object? node, params string[] path) =>
        node.At(path) as Dictionary<object, object?> ?? [];

    public static List<object?> List(this object? node, params string[] path) =>
        node.At(path) as List<object?> ?? [];

    public static string? Text(this object? node, params string[] path) => node.At(path) as string;

    public static string Name(this object? node) => node.Text("metadata", "name") ?? "(unnamed)";
}
