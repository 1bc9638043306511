using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Passport.Credentials.SdJwt;

namespace Passport.Verifier.Agreements;

/// <summary>
/// A workforce sharing agreement as it is written and stored. Requirements are data: a credential type (vct) and
/// conditions on its claims. <see cref="AgreementValidation.Validate"/> turns it into <see cref="AgreementRules"/> or
/// names every bad field and rule.
/// </summary>
public sealed record AgreementDocument
{
    public string? Title { get; init; }

    /// <summary>ODS codes of the organisations party to the agreement, including yours. Only their issuers are trusted.</summary>
    public IReadOnlyList<string>? Parties { get; init; }

    public DateOnly? StartsOn { get; init; }
    public DateOnly? EndsOn { get; init; }
    public IReadOnlyList<string>? StaffGroups { get; init; }
    public int? MaxDeploymentDays { get; init; }
    public bool? HomeApprovalRequired { get; init; }

    /// <summary>Whether the receiving organisation (the host) may itself raise a mutual-aid request for the home organisation's staff; false when left out.</summary>
    public bool? HostMayRaiseMutualAid { get; init; }

    public IReadOnlyList<RoleDocument>? Roles { get; init; }
}

public sealed record RoleDocument
{
    public string? Role { get; init; }
    public IReadOnlyList<RequirementDocument>? Requirements { get; init; }

    /// <summary>Whether a presentation from the home organisation's hosted wallet (staff without a wallet app) is accepted; true when left out.</summary>
    public bool? AcceptsHostedWallet { get; init; }
}

public sealed record RequirementDocument
{
    /// <summary>Unique within the role; the DCQL credential query id and the name in decisions.</summary>
    public string? Id { get; init; }

    /// <summary>The credential type (SD-JWT VC <c>vct</c>) that can meet this requirement.</summary>
    public string? Vct { get; init; }

    public string? Description { get; init; }
    public IReadOnlyList<ConditionDocument>? Conditions { get; init; }
}

/// <summary>
/// Exactly one form: <c>{"claim": path, "equals": v}</c>, <c>{"claim": path, "oneOf": [..]}</c>, <c>{"allTrue": [path, ..]}</c>,
/// <c>{"date": path, "onOrAfter": "start"|"end"}</c>, <c>{"date": path, "within": "P3Y", "of": "start"|"end"|"today"}</c>,
/// or <c>{"anyOf": [condition, ..]}</c>. A path is an array of member names and array indexes, as in DCQL.
/// </summary>
public sealed record ConditionDocument
{
    public JsonArray? Claim { get; init; }

    [JsonPropertyName("equals")]
    public JsonNode? EqualTo { get; init; }

    public JsonArray? OneOf { get; init; }
    public IReadOnlyList<JsonArray>? AllTrue { get; init; }
    public JsonArray? Date { get; init; }
    public string? OnOrAfter { get; init; }
    public string? Within { get; init; }
    public string? Of { get; init; }
    public IReadOnlyList<ConditionDocument>? AnyOf { get; init; }
}

internal static partial class AgreementValidation
{
    private const int MaxRoles = 50;
    private const int MaxRequirements = 50;
    private const int MaxConditions = 20;
    private const int MaxDepth = 3;

    [GeneratedRegex("^[A-Z0-9]{3,10}$")]
    public static partial Regex OdsCode();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^P([1-9][0-9]{0,3})([DMY])$")]
    private static partial Regex Period();

    /// <summary>The rules, or every problem keyed by where it is (for example <c>roles[0].requirements[1].conditions[2]</c>).</summary>
    public static AgreementRules? Validate(AgreementDocument? document, string ownOdsCode, out Dictionary<string, string[]> errors)
    {
        var e = new Errors();
        errors = e.Map;
        if (document is null)
        {
            e.Add("$", "Send the agreement as a JSON object.");
            return null;
        }
        var title = document.Title?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200)
            e.Add("title", "Give a title of 1 to 200 characters.");

        var parties = document.Parties ?? [];
        if (parties.Count is < 2 or > 50)
            e.Add("parties", "Name between 2 and 50 parties by ODS code, including your own organisation.");
        for (var i = 0; i < parties.Count; i++)
        {
            if (parties[i] is null || !OdsCode().IsMatch(parties[i]))
                e.Add($"parties[{i}]", "An ODS code is 3 to 10 upper-case letters and digits.");
        }
        if (parties.Distinct(StringComparer.Ordinal).Count() != parties.Count)
            e.Add("parties", "Each party appears once.");
        if (parties.Count > 0 && !parties.Contains(ownOdsCode, StringComparer.Ordinal))
            e.Add("parties", $"Your organisation ({ownOdsCode}) records this agreement, so it must be one of the parties.");

        if (document.StartsOn is null)
            e.Add("startsOn", "Give the first day of the agreement (yyyy-mm-dd).");
        if (document.EndsOn is null)
            e.Add("endsOn", "Give the last day of the agreement (yyyy-mm-dd).");
        if (document.StartsOn is { } s && document.EndsOn is { } en && en < s)
            e.Add("endsOn", "The agreement cannot end before it starts.");

        var staffGroups = document.StaffGroups ?? [];
        for (var i = 0; i < staffGroups.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(staffGroups[i]) || staffGroups[i].Length > 100)
                e.Add($"staffGroups[{i}]", "A staff group is 1 to 100 characters.");
        }
        if (document.MaxDeploymentDays is not { } maxDays || maxDays is < 1 or > 3660)
            e.Add("maxDeploymentDays", "Give the longest deployment in days, from 1 to 3660.");
        if (document.HomeApprovalRequired is null)
            e.Add("homeApprovalRequired", "Say whether the home organisation must approve each deployment (true or false).");

        var roles = new List<RoleRules>();
        var roleDocs = document.Roles ?? [];
        if (roleDocs.Count is < 1 or > MaxRoles)
            e.Add("roles", $"List between 1 and {MaxRoles} roles, each with its requirements.");
        for (var r = 0; r < Math.Min(roleDocs.Count, MaxRoles); r++)
        {
            if (ReadRole(roleDocs[r], $"roles[{r}]", e) is { } role)
            {
                if (roles.Any(x => x.Role == role.Role))
                    e.Add($"roles[{r}].role", $"The role '{role.Role}' is listed twice.");
                roles.Add(role);
            }
        }

        if (e.Map.Count > 0)
            return null;
        return new AgreementRules
        {
            Title = title!,
            Parties = parties,
            StartsOn = document.StartsOn!.Value,
            EndsOn = document.EndsOn!.Value,
            StaffGroups = staffGroups.Select(g => g.Trim()).ToList(),
            MaxDeploymentDays = document.MaxDeploymentDays!.Value,
            HomeApprovalRequired = document.HomeApprovalRequired!.Value,
            HostMayRaiseMutualAid = document.HostMayRaiseMutualAid ?? false,
            Roles = roles,
        };
    }

    private static RoleRules? ReadRole(RoleDocument? doc, string at, Errors e)
    {
        if (doc is null)
        {
            e.Add(at, "A role is an object with a role name and requirements.");
            return null;
        }
        var before = e.Map.Count;
        if (doc.Role is null || !Identifier().IsMatch(doc.Role))
            e.Add($"{at}.role", "A role name is 1 to 64 letters, digits, '_' or '-'.");
        var requirements = new List<Requirement>();
        var docs = doc.Requirements ?? [];
        if (docs.Count is < 1 or > MaxRequirements)
            e.Add($"{at}.requirements", $"List between 1 and {MaxRequirements} requirements for the role.");
        for (var i = 0; i < Math.Min(docs.Count, MaxRequirements); i++)
        {
            var where = $"{at}.requirements[{i}]";
            if (ReadRequirement(docs[i], where, e) is { } requirement)
            {
                if (requirements.Any(x => x.Id == requirement.Id))
                    e.Add($"{where}.id", $"The requirement id '{requirement.Id}' is used twice in this role.");
                requirements.Add(requirement);
            }
        }
        return e.Map.Count == before ? new RoleRules(doc.Role!, requirements, doc.AcceptsHostedWallet ?? true) : null;
    }

    private static Requirement? ReadRequirement(RequirementDocument? doc, string at, Errors e)
    {
        if (doc is null)
        {
            e.Add(at, "A requirement is an object with an id, a vct and conditions.");
            return null;
        }
        var before = e.Map.Count;
        if (doc.Id is null || !Identifier().IsMatch(doc.Id))
            e.Add($"{at}.id", "A requirement id is 1 to 64 letters, digits, '_' or '-'.");
        if (doc.Vct is null || doc.Vct.Length > 500 || !Uri.TryCreate(doc.Vct, UriKind.Absolute, out _))
            e.Add($"{at}.vct", "Give the credential type as its vct, an absolute URI such as https://issuer.example/vct/dbs.");
        if (doc.Description is { Length: > 500 })
            e.Add($"{at}.description", "A description is at most 500 characters.");
        var conditions = new List<Condition>();
        var docs = doc.Conditions ?? [];
        if (docs.Count > MaxConditions)
            e.Add($"{at}.conditions", $"A requirement has at most {MaxConditions} conditions.");
        for (var i = 0; i < Math.Min(docs.Count, MaxConditions); i++)
        {
            if (ReadCondition(docs[i], $"{at}.conditions[{i}]", 1, e) is { } condition)
                conditions.Add(condition);
        }
        return e.Map.Count == before ? new Requirement(doc.Id!, doc.Vct!, doc.Description, conditions) : null;
    }

    private static Condition? ReadCondition(ConditionDocument? doc, string at, int depth, Errors e)
    {
        if (doc is null)
        {
            e.Add(at, "A condition is an object.");
            return null;
        }
        var forms = new (string Name, bool Present)[]
        {
            ("claim", doc.Claim is not null), ("allTrue", doc.AllTrue is not null), ("date", doc.Date is not null), ("anyOf", doc.AnyOf is not null),
        }.Where(f => f.Present).Select(f => f.Name).ToList();
        if (forms.Count != 1)
        {
            e.Add(at, forms.Count == 0
                ? "A condition needs one of claim (with equals or oneOf), allTrue, date (with onOrAfter or within) or anyOf."
                : $"A condition has exactly one form; this one has {string.Join(" and ", forms)}. Split it into separate conditions.");
            return null;
        }
        return forms[0] switch
        {
            "claim" => ReadClaim(doc, at, e),
            "allTrue" => ReadAllTrue(doc, at, e),
            "date" => ReadDate(doc, at, e),
            _ => ReadAnyOf(doc, at, depth, e),
        };
    }

    private static ClaimIn? ReadClaim(ConditionDocument doc, string at, Errors e)
    {
        var path = ReadPath(doc.Claim, $"{at}.claim", e);
        Extra(doc.AllTrue is not null || doc.Date is not null || doc.OnOrAfter is not null || doc.Within is not null || doc.Of is not null, at, "claim", e);
        if ((doc.EqualTo is null) == (doc.OneOf is null))
        {
            e.Add(at, "A claim condition has exactly one of equals (a value) or oneOf (a list of values).");
            return null;
        }
        var values = doc.EqualTo is not null ? [doc.EqualTo] : doc.OneOf!.ToList();
        if (values.Count is < 1 or > 50)
            e.Add($"{at}.oneOf", "oneOf lists between 1 and 50 values.");
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not JsonValue v || v.GetValueKind() is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number
                or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                e.Add(doc.EqualTo is not null ? $"{at}.equals" : $"{at}.oneOf[{i}]", "Compare with a string, number or boolean.");
            }
        }
        return path is null ? null : new ClaimIn(path, values.Select(v => v!.DeepClone()).ToList());
    }

    private static AllTrue? ReadAllTrue(ConditionDocument doc, string at, Errors e)
    {
        Extra(doc.EqualTo is not null || doc.OneOf is not null || doc.OnOrAfter is not null || doc.Within is not null || doc.Of is not null, at, "allTrue", e);
        var paths = new List<ClaimPath>();
        if (doc.AllTrue!.Count is < 1 or > 20)
            e.Add($"{at}.allTrue", "allTrue lists between 1 and 20 claim paths.");
        for (var i = 0; i < doc.AllTrue.Count; i++)
        {
            if (ReadPath(doc.AllTrue[i], $"{at}.allTrue[{i}]", e) is { } path)
                paths.Add(path);
        }
        return paths.Count == doc.AllTrue.Count ? new AllTrue(paths) : null;
    }

    private static Condition? ReadDate(ConditionDocument doc, string at, Errors e)
    {
        var path = ReadPath(doc.Date, $"{at}.date", e);
        Extra(doc.EqualTo is not null || doc.OneOf is not null, at, "date", e);
        if ((doc.OnOrAfter is null) == (doc.Within is null))
        {
            e.Add(at, "A date condition has exactly one of onOrAfter (\"start\" or \"end\") or within (a period such as P3Y, P6M or P30D).");
            return null;
        }
        if (doc.OnOrAfter is not null)
        {
            if (doc.Of is not null)
                e.Add($"{at}.of", "of goes with within; onOrAfter names its own day.");
            if (Anchor(doc.OnOrAfter) is not { } anchor || anchor == DateAnchor.Today)
            {
                e.Add($"{at}.onOrAfter", "onOrAfter is \"start\" (valid on the deployment's first day) or \"end\" (valid through its last day).");
                return null;
            }
            return path is null ? null : new DateOnOrAfter(path, anchor);
        }
        var match = Period().Match(doc.Within!);
        if (!match.Success)
        {
            e.Add($"{at}.within", "within is a period of one unit: P<n>D, P<n>M or P<n>Y (n from 1 to 9999), for example P3Y.");
            return null;
        }
        var of = doc.Of is null ? DateAnchor.Start : Anchor(doc.Of);
        if (of is null)
        {
            e.Add($"{at}.of", "of is \"start\", \"end\" or \"today\".");
            return null;
        }
        var period = new DatePeriod(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            match.Groups[2].Value switch { "D" => PeriodUnit.Days, "M" => PeriodUnit.Months, _ => PeriodUnit.Years });
        return path is null ? null : new DateWithin(path, period, of.Value);
    }

    private static AnyOf? ReadAnyOf(ConditionDocument doc, string at, int depth, Errors e)
    {
        Extra(doc.EqualTo is not null || doc.OneOf is not null || doc.OnOrAfter is not null || doc.Within is not null || doc.Of is not null, at, "anyOf", e);
        if (depth >= MaxDepth)
        {
            e.Add(at, $"anyOf can be nested at most {MaxDepth - 1} deep.");
            return null;
        }
        if (doc.AnyOf!.Count is < 2 or > 10)
        {
            e.Add($"{at}.anyOf", "anyOf lists between 2 and 10 conditions.");
            return null;
        }
        var conditions = new List<Condition>();
        for (var i = 0; i < doc.AnyOf.Count; i++)
        {
            if (ReadCondition(doc.AnyOf[i], $"{at}.anyOf[{i}]", depth + 1, e) is { } c)
                conditions.Add(c);
        }
        return conditions.Count == doc.AnyOf.Count ? new AnyOf(conditions) : null;
    }

    private static ClaimPath? ReadPath(JsonArray? path, string at, Errors e)
    {
        if (path is null || path.Count is < 1 or > 8)
        {
            e.Add(at, "A claim path is an array of 1 to 8 member names and array indexes, for example [\"level\"].");
            return null;
        }
        var segments = new List<object?>();
        for (var i = 0; i < path.Count; i++)
        {
            if (path[i] is JsonValue v && v.TryGetValue<string>(out var name) && name.Length is > 0 and <= 100)
            {
                if (i == 0 && SdJwtVcIssuer.NonDisclosable.Contains(name))
                {
                    e.Add(at, $"'{name}' is a registered claim checked by the verifier itself, not by agreement rules.");
                    return null;
                }
                segments.Add(name);
            }
            else if (i > 0 && path[i] is JsonValue n && n.TryGetValue<int>(out var index) && index is >= 0 and < 1000)
            {
                segments.Add(index);
            }
            else
            {
                e.Add(at, $"Segment {i} of the path must be a member name (a non-empty string) or, after the first, an array index from 0 to 999.");
                return null;
            }
        }
        return new ClaimPath(segments);
    }

    private static DateAnchor? Anchor(string value) => value switch
    {
        "start" => DateAnchor.Start,
        "end" => DateAnchor.End,
        "today" => DateAnchor.Today,
        _ => null,
    };

    private static void Extra(bool present, string at, string form, Errors e)
    {
        if (present)
            e.Add(at, $"This {form} condition carries members that belong to another form of condition; write one form per condition.");
    }

    private sealed class Errors
    {
        public Dictionary<string, string[]> Map { get; } = new(StringComparer.Ordinal);

        public void Add(string at, string message) =>
            Map[at] = Map.TryGetValue(at, out var existing) ? [.. existing, message] : [message];
    }
}
