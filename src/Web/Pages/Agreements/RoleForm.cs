using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Passport.Web.Api;

namespace Passport.Web.Pages.Agreements;

/// <summary>
/// One role of the agreement form: its name, the credential types it needs and, per type, the conditions the agreement
/// document can state about the type's choices, yes/no claims and dates. Conditions the form cannot show are kept as
/// they are. Field names and ids are <c>role-{slot}-...</c>, so the error summary links straight to each field.
/// </summary>
public sealed partial class RoleForm
{
    public string Name { get; set; } = "";

    /// <summary>Catalogue type keys ticked for the role.</summary>
    public HashSet<string> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TypeConditions> Conditions { get; } = new(StringComparer.Ordinal);

    /// <summary>Requirements of the stored agreement the form cannot show (kept unchanged when the role is saved).</summary>
    public List<AgreementRequirement> KeptRequirements { get; } = [];

    public TypeConditions For(string type) => Conditions.TryGetValue(type, out var c) ? c : Conditions[type] = new TypeConditions();

    /// <summary>A type's name inside a sentence: "DBS check" stays, "Right to work" becomes "right to work".</summary>
    public static string Phrase(string name) =>
        name.Length > 1 && char.IsLower(name[1]) ? char.ToLowerInvariant(name[0]) + name[1..] : name;

    public static string Prefix(int slot, CatalogueType type) => $"role-{slot}-{type.Type}";

    public static string FieldId(int slot, CatalogueType type, CatalogueField claim) => $"{Prefix(slot, type)}-{claim.Name}";

    public static IEnumerable<CatalogueField> ChoiceClaims(CatalogueType type) => type.Claims.Where(c => c.Kind == "one of the choices" && c.Choices is { Count: > 0 });

    public static IEnumerable<CatalogueField> FlagClaims(CatalogueType type) => type.Claims.Where(c => c.Kind == "boolean");

    public static IEnumerable<CatalogueField> DateClaims(CatalogueType type) => type.Claims.Where(c => c.Kind.StartsWith("date", StringComparison.Ordinal));

    /// <summary>What the "unless" list offers for a date of <paramref name="type"/>: a yes/no claim, a choice's value, or another date.</summary>
    public static IReadOnlyList<Choice> Alternatives(CatalogueType type, CatalogueField date) =>
    [
        new Choice("", "No alternative"),
        .. FlagClaims(type).Select(f => new Choice($"flag:{f.Name}", $"{f.Label}: yes")),
        .. ChoiceClaims(type).SelectMany(f => f.Choices!.Select(v => new Choice($"value:{f.Name}:{v}", $"{f.Label}: {Words.Sentence(v)}"))),
        .. DateClaims(type).Where(d => d.Name != date.Name).Select(d => new Choice($"date:{d.Name}", $"{d.Label} is within the period below of today")),
    ];

    /// <summary>Carries over from the stored role what the form cannot show, so posting the form does not lose it.</summary>
    public void Keep(RoleForm stored)
    {
        KeptRequirements.AddRange(stored.KeptRequirements);
        foreach (var (type, conditions) in stored.Conditions)
            For(type).Kept.AddRange(conditions.Kept.Select(k => (JsonObject)k.DeepClone()));
    }

    public static RoleForm Read(IFormCollection form, int slot, IReadOnlyList<CatalogueType> catalogue)
    {
        var role = new RoleForm { Name = form[$"role-{slot}-name"].ToString() };
        foreach (var type in form[$"role-{slot}-type"])
        {
            if (type is not null && catalogue.Any(t => t.Type == type))
                role.Types.Add(type);
        }
        foreach (var type in catalogue)
        {
            var c = new TypeConditions();
            foreach (var claim in ChoiceClaims(type))
            {
                var id = FieldId(slot, type, claim);
                var values = form[id].Where(v => v is not null && claim.Choices!.Contains(v)).Select(v => v!).ToList();
                if (values.Count > 0)
                    c.Values[claim.Name] = values;
                if (form[id + "-separately"] == "yes")
                    c.Separately.Add(claim.Name);
            }
            foreach (var claim in FlagClaims(type))
            {
                if (form[FieldId(slot, type, claim)] == "yes")
                    c.Flags.Add(claim.Name);
            }
            foreach (var claim in DateClaims(type))
            {
                var id = FieldId(slot, type, claim);
                var rule = new DateRule
                {
                    Rule = form[id + "-rule"].ToString(), Amount = form[id + "-amount"].ToString().Trim(), Unit = form[id + "-unit"].ToString(),
                    Of = form[id + "-of"].ToString(), Unless = form[id + "-unless"].ToString(), UnlessAmount = form[id + "-unless-amount"].ToString().Trim(),
                    UnlessUnit = form[id + "-unless-unit"].ToString(),
                };
                if (!rule.IsEmpty)
                    c.Dates[claim.Name] = rule;
            }
            if (!c.IsEmpty)
                role.Conditions[type.Type] = c;
        }
        return role;
    }

    /// <summary>The form's view of a stored role: each requirement's conditions placed on the type's fields, the rest kept.</summary>
    public static RoleForm FromDocument(AgreementRole stored, IReadOnlyList<CatalogueType> catalogue)
    {
        var role = new RoleForm { Name = Words.Sentence(stored.Role) };
        foreach (var raw in stored.Requirements ?? [])
        {
            var requirement = raw with { Conditions = (JsonArray?)Clean(raw.Conditions) };
            var type = catalogue.FirstOrDefault(t => t.Vct == requirement.Vct);
            if (type is null)
            {
                role.KeptRequirements.Add(requirement);
                continue;
            }
            var read = TypeConditions.FromConditions(requirement.Conditions, type);
            if (!role.Types.Contains(type.Type))
            {
                role.Types.Add(type.Type);
                role.Conditions[type.Type] = read;
            }
            else if (!role.Conditions[type.Type].TryMergeSeparately(read))
            {
                role.KeptRequirements.Add(requirement);
            }
        }
        return role;
    }

    /// <summary>The role's requirements, or field errors on <paramref name="page"/> (keyed by field id).</summary>
    public List<AgreementRequirement> ToRequirements(int slot, string roleName, IReadOnlyList<CatalogueType> catalogue, AgreementRole? stored, FormPage page)
    {
        var requirements = new List<AgreementRequirement>();
        foreach (var type in catalogue.Where(t => Types.Contains(t.Type)))
        {
            var c = For(type.Type);
            var conditions = c.ToConditions(slot, type, roleName, page);
            if (conditions is null)
                continue;
            var baseId = stored?.Requirements?.FirstOrDefault(r => r.Vct == type.Vct)?.Id ?? type.Type.Replace('-', '_').Replace('.', '_');
            var split = c.Split;
            if (split is null)
            {
                requirements.Add(Keep(new AgreementRequirement(baseId, type.Vct, type.Name, conditions), stored));
                continue;
            }
            foreach (var value in c.Values[split])
            {
                var each = new JsonArray([.. conditions.Select(x => IsClaimOn(x, split) ? Equals(split, value) : x!.DeepClone())]);
                var id = $"{baseId}_{Slug().Replace(value, "_")}";
                requirements.Add(Keep(new AgreementRequirement(id[..Math.Min(64, id.Length)], type.Vct, $"{type.Name}: {Words.Sentence(value)}", each), stored));
            }
        }
        var order = stored?.Requirements?.Select(r => r.Vct).ToList() ?? [];
        return [.. requirements.OrderBy(r => order.IndexOf(r.Vct) is var i && i >= 0 ? i : int.MaxValue), .. KeptRequirements];
    }

    /// <summary>A requirement whose conditions did not change (in any order) stays exactly as stored, with its id and description.</summary>
    private static AgreementRequirement Keep(AgreementRequirement made, AgreementRole? stored) =>
        stored?.Requirements?.FirstOrDefault(r => r.Vct == made.Vct && Normal(r.Conditions) == Normal(made.Conditions)) is { } same
            ? same with { Conditions = (JsonArray?)Clean(same.Conditions) }
            : made;

    /// <summary>The API writes absent condition members as null; the form reads and compares conditions without them.</summary>
    internal static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, Clean(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Clean)]),
        null => null,
        _ => node.DeepClone(),
    };

    private static string Normal(JsonNode? node) => node switch
    {
        JsonArray a => "[" + string.Join(",", a.Select(Normal).Order(StringComparer.Ordinal)) + "]",
        JsonObject { Count: > 0 } o when o["within"] is not null && o["of"] is null => Normal(new JsonObject(o.Where(p => p.Key != "of")
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())).Append(KeyValuePair.Create("of", (JsonNode?)"start")))),
        JsonObject o => "{" + string.Join(",", o.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{(p.Key is "claim" or "date" ? p.Value?.ToJsonString() : Normal(p.Value))}")) + "}",
        null => "null",
        _ => node.ToJsonString(),
    };

    internal static string? SplitOf(TypeConditions c) => c.Separately.Order(StringComparer.Ordinal).FirstOrDefault(s => c.Values.GetValueOrDefault(s) is { Count: > 1 });

    private static bool IsClaimOn(JsonNode? condition, string claim) =>
        condition is JsonObject o && o["claim"] is JsonArray { Count: 1 } p && p[0]?.ToString() == claim && (o["equals"] is not null || o["oneOf"] is not null);

    internal static JsonObject Equals(string claim, string value) => new() { ["claim"] = new JsonArray(claim), ["equals"] = value };

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Slug();
}
