using System.Text.RegularExpressions;

namespace Passport.Deploy.Tests;

/// <summary>
/// The settings the code binds, read from its text: each class with a <c>const string Section</c>, and its settable
/// properties. A section whose class only wires a database (<c>AddPassportDatabase</c>) binds <c>DatabaseOptions</c>.
/// </summary>
internal static partial class Settings
{
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Sections = new(ReadSections);

    /// <summary>Every class of the code, by name, with its bindable properties and their types.</summary>
    private static readonly Lazy<Dictionary<string, List<(string Name, string Type)>>> Classes = new(ReadClasses);

    private static readonly Lazy<List<(string Section, string Class)>> SectionOwners = new(() =>
        [.. SourceFiles().Select(File.ReadAllText).SelectMany(text => SectionConstant().Matches(text)
            .Select(s => (Section: s.Groups["section"].Value, Owner: ClassDeclaration().Matches(text[..s.Index]).LastOrDefault()))
            .Where(x => x.Owner is not null)
            .Select(x => (x.Section, x.Owner!.Groups["name"].Value)))]);

    /// <summary><c>Section:Property</c> to the property's type name, for the properties of section classes.</summary>
    private static readonly Lazy<Dictionary<string, string>> NestedTypes = new(() =>
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, owner) in SectionOwners.Value)
        {
            foreach (var (name, type) in Classes.Value.GetValueOrDefault(owner) ?? [])
                result.TryAdd($"{section}:{name}", type);
        }
        return result;
    });

    private static Dictionary<string, List<(string Name, string Type)>> ReadClasses()
    {
        var classes = new Dictionary<string, List<(string Name, string Type)>>(StringComparer.Ordinal);
        foreach (var text in SourceFiles().Select(File.ReadAllText))
        {
            foreach (Match c in ClassDeclaration().Matches(text))
                classes.TryAdd(c.Groups["name"].Value, [.. TypedProperties(ClassBody(text, c.Index))]);
        }
        return classes;
    }

    private static IEnumerable<(string Name, string Type)> TypedProperties(string body) =>
        SettableProperty().Matches(body).Where(IsBound).Select(m => (m.Groups["name"].Value, m.Groups["type"].Value.Trim().TrimEnd('?')));

    /// <summary>Section name to the property names bound under it.</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> BySection => Sections.Value;

    /// <summary>
    /// Every <c>Section:Property</c> the code binds; a property whose type is an options class of its own (such as
    /// <c>Web:Oidc</c>) as each of that class's properties (<c>Web:Oidc:Authority</c>, ...).
    /// </summary>
    public static IEnumerable<string> All() =>
        BySection.SelectMany(s => s.Value.SelectMany(p => Expand($"{s.Key}:{p}", NestedTypes.Value.GetValueOrDefault($"{s.Key}:{p}"), 0)))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> Expand(string key, string? type, int depth)
    {
        if (type is null || depth > 3 || !Classes.Value.TryGetValue(type, out var nested) || nested.Count == 0)
            return [key];
        return nested.SelectMany(p => Expand($"{key}:{p.Name}", p.Type, depth + 1));
    }

    /// <summary>
    /// Whether a configuration key names a bound setting: its longest known section prefix, then a property of that
    /// section (a map's entries such as <c>Issuer:Catalogue:ValidityMonths:dbs</c> count as their property).
    /// Keys read directly (<c>Configuration["Passport:DataFolder"]</c>) count when the code names them literally.
    /// </summary>
    public static bool Exists(string key)
    {
        var section = BySection.Keys
            .Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.Length)
            .FirstOrDefault();
        if (section is not null)
        {
            var property = key[(section.Length + 1)..].Split(':')[0];
            if (BySection[section].Contains(property))
                return true;
        }
        return SourceText.Value.Contains($"\"{key}\"", StringComparison.Ordinal);
    }

    private static readonly Lazy<string> SourceText = new(() => string.Join('\n', SourceFiles().Select(File.ReadAllText)));

    private static IEnumerable<string> SourceFiles()
    {
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Repository.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal)
                && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal)
                && !f.Contains($"{separator}Migrations{separator}", StringComparison.Ordinal));
    }

    private static Dictionary<string, HashSet<string>> ReadSections()
    {
        var files = SourceFiles().Select(f => File.ReadAllText(f)).ToList();
        var classes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var sections = new List<(string Section, string Class, bool WiresDatabase)>();
        foreach (var text in files)
        {
            foreach (Match c in ClassDeclaration().Matches(text))
                classes.TryAdd(c.Groups["name"].Value, Properties(ClassBody(text, c.Index)));
            foreach (Match s in SectionConstant().Matches(text))
            {
                var owner = ClassDeclaration().Matches(text[..s.Index]).LastOrDefault();
                if (owner is not null)
                    sections.Add((s.Groups["section"].Value, owner.Groups["name"].Value, text.Contains("AddPassportDatabase", StringComparison.Ordinal)));
            }
        }
        var result = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (section, owner, wiresDatabase) in sections)
        {
            var properties = classes.GetValueOrDefault(owner) ?? [];
            if (properties.Count == 0 && wiresDatabase)
                properties = classes.GetValueOrDefault("DatabaseOptions") ?? [];
            result[section] = properties;
        }
        return result;
    }

    private static string ClassBody(string text, int declaration)
    {
        var open = text.IndexOf('{', declaration);
        if (open < 0)
            return "";
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == '{')
                depth++;
            else if (text[i] == '}' && --depth == 0)
                return text[open..i];
        }
        return text[open..];
    }

    private static HashSet<string> Properties(string body) =>
        [.. SettableProperty().Matches(body).Where(IsBound).Select(m => m.Groups["name"].Value)];

    /// <summary>A settable property, or a get-only collection with an initialiser (the binder adds to it).</summary>
    private static bool IsBound(Match property) =>
        !property.Groups["getonly"].Success || CollectionType().IsMatch(property.Groups["type"].Value.Trim());

    [GeneratedRegex(@"\bclass\s+(?<name>\w+)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"const\s+string\s+Section\s*=\s*""(?<section>[^""]+)""")]
    private static partial Regex SectionConstant();

    [GeneratedRegex(@"public\s+(?:required\s+)?(?<type>[\w<>?,.\[\]\s]+?)\s+(?<name>\w+)\s*\{\s*get;\s*(?:(?:set|init);|(?<getonly>\}\s*=))")]
    private static partial Regex SettableProperty();

    [GeneratedRegex(@"^I?(?:List|Collection|Dictionary)<")]
    private static partial Regex CollectionType();
}
