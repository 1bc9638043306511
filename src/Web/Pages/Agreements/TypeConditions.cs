using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Passport.Web.Api;

namespace Passport.Web.Pages.Agreements;

/// <summary>The conditions on one credential type of a role, as the form shows them.</summary>
public sealed partial class TypeConditions
{
    /// <summary>Choice claim → the values accepted (one: equals; several: oneOf, or each separately).</summary>
    public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>Choice claims whose ticked values are each needed, one credential per value (for example named training subjects).</summary>
    public HashSet<string> Separately { get; } = new(StringComparer.Ordinal);

    /// <summary>Yes/no claims that must be yes.</summary>
    public List<string> Flags { get; } = [];

    public Dictionary<string, DateRule> Dates { get; } = new(StringComparer.Ordinal);

    /// <summary>Conditions the form cannot show, kept as they are.</summary>
    public List<JsonObject> Kept { get; } = [];

    /// <summary>The choice whose values each need their own credential, if any.</summary>
    public string? Split => RoleForm.SplitOf(this);

    public bool IsEmpty => Values.Count == 0 && Separately.Count == 0 && Flags.Count == 0 && Dates.Count == 0 && Kept.Count == 0;

    public DateRule Date(string claim) => Dates.GetValueOrDefault(claim) ?? new DateRule();

    public bool Ticked(string claim, string value) => Values.GetValueOrDefault(claim)?.Contains(value) == true;

    public static TypeConditions FromConditions(JsonArray? conditions, CatalogueType type)
    {
        var c = new TypeConditions();
        foreach (var node in (JsonArray?)RoleForm.Clean(conditions) ?? [])
        {
            if (node is not JsonObject o || !c.TryRead(o, type))
                c.Kept.Add((JsonObject)node!.DeepClone());
        }
        return c;
    }

    private bool TryRead(JsonObject o, CatalogueType type)
    {
        if (Single(o["claim"]) is { } claim && RoleForm.ChoiceClaims(type).Any(f => f.Name == claim) && !Values.ContainsKey(claim))
        {
            var values = o["equals"] is JsonValue v ? [v.ToString()] : (o["oneOf"] as JsonArray)?.Select(x => x?.ToString() ?? "").ToList();
            if (values is null || values.Count == 0 || o.Count != 2)
                return false;
            Values[claim] = values;
            return true;
        }
        if (o["allTrue"] is JsonArray all && o.Count == 1)
        {
            var names = all.Select(Single).ToList();
            if (names.Any(n => n is null || !RoleForm.FlagClaims(type).Any(f => f.Name == n) || Flags.Contains(n)))
                return false;
            Flags.AddRange(names!);
            return true;
        }
        if (ReadDate(o, type) is { } dated && !Dates.ContainsKey(dated.Claim))
        {
            Dates[dated.Claim] = dated.Rule;
            return true;
        }
        if (o["anyOf"] is JsonArray { Count: 2 } any && o.Count == 1 && any[0] is JsonObject a && any[1] is JsonObject b)
        {
            foreach (var (primary, other) in new[] { (a, b), (b, a) })
            {
                if (ReadDate(primary, type) is not { } main || Dates.ContainsKey(main.Claim) || Alternative(other, type, main.Claim) is not { } alt)
                    continue;
                Dates[main.Claim] = main.Rule with { Unless = alt.Unless, UnlessAmount = alt.Amount, UnlessUnit = alt.Unit };
                return true;
            }
        }
        return false;
    }

    private static (string Claim, DateRule Rule)? ReadDate(JsonObject o, CatalogueType type)
    {
        if (Single(o["date"]) is not { } claim || !RoleForm.DateClaims(type).Any(f => f.Name == claim))
            return null;
        if (o["onOrAfter"]?.ToString() is "start" or "end" && o.Count == 2)
            return (claim, new DateRule { Rule = o["onOrAfter"]!.ToString() });
        if (o["within"]?.ToString() is { } within && Period().Match(within) is { Success: true } m && o.Count <= 3)
        {
            var of = o["of"]?.ToString() ?? "start";
            return of is "start" or "end" or "today"
                ? (claim, new DateRule { Rule = "within", Amount = m.Groups[1].Value, Unit = m.Groups[2].Value, Of = of })
                : null;
        }
        return null;
    }

    private static (string Unless, string Amount, string Unit)? Alternative(JsonObject o, CatalogueType type, string date)
    {
        if (o["allTrue"] is JsonArray { Count: 1 } all && o.Count == 1 && Single(all[0]) is { } flag && RoleForm.FlagClaims(type).Any(f => f.Name == flag))
            return ($"flag:{flag}", "", "");
        if (Single(o["claim"]) is { } claim && o["equals"] is JsonValue v && o.Count == 2)
        {
            if (RoleForm.FlagClaims(type).Any(f => f.Name == claim) && v.TryGetValue<bool>(out var yes) && yes)
                return ($"flag:{claim}", "", "");
            if (RoleForm.ChoiceClaims(type).FirstOrDefault(f => f.Name == claim) is { } field && field.Choices!.Contains(v.ToString()))
                return ($"value:{claim}:{v}", "", "");
        }
        if (ReadDate(o, type) is { } other && other.Claim != date && other.Rule is { Rule: "within", Of: "today" })
            return ($"date:{other.Claim}", other.Rule.Amount, other.Rule.Unit);
        return null;
    }

    private static string? Single(JsonNode? path) =>
        path is JsonArray { Count: 1 } p && p[0] is JsonValue v && v.TryGetValue<string>(out var name) ? name : null;

    /// <summary>Stored requirements of one type that differ only in one choice's single value read back as one type with "each separately".</summary>
    public bool TryMergeSeparately(TypeConditions other)
    {
        var differing = Values.Keys.Union(other.Values.Keys).Where(k => !Values.GetValueOrDefault(k, []).SequenceEqual(other.Values.GetValueOrDefault(k, []))).ToList();
        if (differing.Count != 1 || Values.GetValueOrDefault(differing[0]) is not { } mine || other.Values.GetValueOrDefault(differing[0]) is not { Count: 1 } theirs
            || (mine.Count > 1 && !Separately.Contains(differing[0])) || !Flags.SequenceEqual(other.Flags) || Dates.Count != other.Dates.Count
            || Dates.Any(d => other.Dates.GetValueOrDefault(d.Key) != d.Value) || Kept.Count > 0 || other.Kept.Count > 0 || mine.Contains(theirs[0]))
        {
            return false;
        }
        mine.Add(theirs[0]);
        Separately.Add(differing[0]);
        return true;
    }

    /// <summary>The document's conditions, or null after adding each bad field's error to <paramref name="page"/>.</summary>
    public JsonArray? ToConditions(int slot, CatalogueType type, string roleName, FormPage page)
    {
        var before = page.Errors.Count;
        var conditions = new JsonArray();
        foreach (var claim in RoleForm.ChoiceClaims(type))
        {
            if (Values.GetValueOrDefault(claim.Name) is not { Count: > 0 } values)
            {
                if (Separately.Contains(claim.Name))
                    page.AddError(RoleForm.FieldId(slot, type, claim), $"Select the {claim.Label.ToLowerInvariant()} values that the {roleName} role needs a {RoleForm.Phrase(type.Name)} for each of");
                continue;
            }
            conditions.Add(values.Count == 1 || claim.Name == Split
                ? RoleForm.Equals(claim.Name, values[0])
                : new JsonObject { ["claim"] = new JsonArray(claim.Name), ["oneOf"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]) });
        }
        var flags = RoleForm.FlagClaims(type).Where(f => Flags.Contains(f.Name)).ToList();
        if (flags.Count > 0)
            conditions.Add(new JsonObject { ["allTrue"] = new JsonArray([.. flags.Select(f => new JsonArray(f.Name))]) });
        foreach (var claim in RoleForm.DateClaims(type))
        {
            if (Dates.GetValueOrDefault(claim.Name) is not { IsEmpty: false } rule)
                continue;
            var id = RoleForm.FieldId(slot, type, claim);
            var label = claim.Label.ToLowerInvariant();
            var what = $"the {RoleForm.Phrase(type.Name)}'s {label}{(label.EndsWith(" on", StringComparison.Ordinal) ? " date" : "")} for the {roleName} role";
            JsonObject? primary = null;
            switch (rule.Rule)
            {
                case "start" or "end":
                    primary = new JsonObject { ["date"] = new JsonArray(claim.Name), ["onOrAfter"] = rule.Rule };
                    break;
                case "within":
                    if (Within(rule.Amount, rule.Unit) is not { } period)
                    {
                        page.AddError(id + "-amount", $"Enter how many years, months or days {what} must be within, a whole number from 1 to 9999");
                        break;
                    }
                    if (rule.Of is not ("start" or "end" or "today"))
                    {
                        page.AddError(id + "-of", $"Select the day {what} is counted from");
                        break;
                    }
                    primary = new JsonObject { ["date"] = new JsonArray(claim.Name), ["within"] = period, ["of"] = rule.Of };
                    break;
                default:
                    page.AddError(id + "-rule", $"Select a rule for {what}, or remove its alternative");
                    break;
            }
            if (primary is null)
                continue;
            if (string.IsNullOrEmpty(rule.Unless))
            {
                conditions.Add(primary);
                continue;
            }
            JsonObject? alternative = null;
            var parts = rule.Unless.Split(':');
            if (parts is ["flag", var flag] && RoleForm.FlagClaims(type).Any(f => f.Name == flag))
                alternative = new JsonObject { ["allTrue"] = new JsonArray(new JsonArray(flag)) };
            else if (parts is ["value", var choice, var value] && RoleForm.ChoiceClaims(type).Any(f => f.Name == choice && f.Choices!.Contains(value)))
                alternative = RoleForm.Equals(choice, value);
            else if (parts is ["date", var other] && other != claim.Name && RoleForm.DateClaims(type).Any(f => f.Name == other))
            {
                if (Within(rule.UnlessAmount, rule.UnlessUnit) is { } period)
                    alternative = new JsonObject { ["date"] = new JsonArray(other), ["within"] = period, ["of"] = "today" };
                else
                    page.AddError(id + "-unless-amount", $"Enter how recent the alternative to {what} must be, a whole number of years, months or days from 1 to 9999");
            }
            else
                page.AddError(id + "-unless", $"Select an alternative to {what} from the list");
            if (alternative is not null)
                conditions.Add(new JsonObject { ["anyOf"] = new JsonArray(primary, alternative) });
        }
        foreach (var kept in Kept)
            conditions.Add(kept.DeepClone());
        return page.Errors.Count == before ? conditions : null;
    }

    private static string? Within(string amount, string unit) =>
        int.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 9999 && unit is "Y" or "M" or "D"
            ? $"P{n}{unit}"
            : null;

    [GeneratedRegex("^P([1-9][0-9]{0,3})([DMY])$")]
    private static partial Regex Period();
}

/// <summary>A rule on one date claim: valid on the first or through the last day, or within a period of a day; optionally an alternative ("unless").</summary>
public sealed record DateRule
{
    public string Rule { get; init; } = "";
    public string Amount { get; init; } = "";
    public string Unit { get; init; } = "Y";
    public string Of { get; init; } = "start";
    public string Unless { get; init; } = "";
    public string UnlessAmount { get; init; } = "";
    public string UnlessUnit { get; init; } = "D";

    public bool IsEmpty => Rule.Length == 0 && Unless.Length == 0;
}

/// <summary>The model of the <c>_TypeConditions</c> partial: one credential type's conditions in one role slot.</summary>
public sealed record TypeConditionsView(int Slot, CatalogueType Type, TypeConditions Conditions, FormPage Page);
