using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;
using Passport.Verifier.Agreements;

namespace Passport.Verifier.Presentations;

/// <summary>
/// Builds the OpenID4VP 1.0 DCQL query for a role (§6): one credential query per requirement, asking only for the claims
/// its conditions read. Values a condition fixes are sent as <c>values</c> so a wallet can pick the right credential; when a
/// requirement has alternatives (anyOf), <c>claim_sets</c> lets a credential that has only one alternative's claims match.
/// It also asks, optionally (<c>credential_sets</c>), for the person's names from their identity credential, so the
/// receiving organisation sees whom it checked; a wallet without one still answers the requirements.
/// </summary>
internal static class DcqlQuery
{
    public const string Format = "dc+sd-jwt";

    /// <summary>The credential query for the person's names; requirement ids are checked not to take it.</summary>
    public const string PersonQueryId = "person_name";

    /// <summary>The catalogue's identity type, beside the agreement's types (its vct ends in <c>identity</c> under the same base).</summary>
    private const string IdentityKey = "identity";

    public static JsonObject For(RoleRules role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var credentials = new JsonArray([.. role.Requirements.Select(r => (JsonNode)ForRequirement(r))]);
        var identityVcts = IdentityVcts(role);
        if (identityVcts.Count == 0 || role.Requirements.Any(r => r.Id == PersonQueryId))
            return new JsonObject { ["credentials"] = credentials };
        credentials.Add(new JsonObject
        {
            ["id"] = PersonQueryId,
            ["format"] = Format,
            ["meta"] = new JsonObject { ["vct_values"] = new JsonArray([.. identityVcts.Select(v => (JsonNode)JsonValue.Create(v))]) },
            ["claims"] = new JsonArray(
                new JsonObject { ["id"] = "given_name", ["path"] = new JsonArray("given_name") },
                new JsonObject { ["id"] = "family_name", ["path"] = new JsonArray("family_name") }),
        });
        return new JsonObject
        {
            ["credentials"] = credentials,
            ["credential_sets"] = new JsonArray(
                new JsonObject { ["options"] = new JsonArray(new JsonArray([.. role.Requirements.Select(r => (JsonNode)JsonValue.Create(r.Id))])) },
                new JsonObject { ["options"] = new JsonArray(new JsonArray(PersonQueryId)), ["required"] = false }),
        };
    }

    private static List<string> IdentityVcts(RoleRules role) =>
        [.. role.Requirements.Select(r => Uri.TryCreate(r.Vct, UriKind.Absolute, out var vct) && (vct.Scheme == Uri.UriSchemeHttps || vct.Scheme == Uri.UriSchemeHttp)
                ? new Uri(vct, IdentityKey).ToString() : null)
            .OfType<string>().Distinct(StringComparer.Ordinal)];

    private static JsonObject ForRequirement(Requirement requirement)
    {
        var query = new JsonObject
        {
            ["id"] = requirement.Id,
            ["format"] = Format,
            ["meta"] = new JsonObject { ["vct_values"] = new JsonArray(requirement.Vct) },
        };
        if (requirement.Paths.Count == 0)
            return query;

        var ids = requirement.Paths.Select((p, i) => (Key: PathKey.Of(p), Id: $"c{i}")).ToDictionary(x => x.Key, x => x.Id, StringComparer.Ordinal);
        var fixedValues = FixedValues(requirement.Conditions);
        var claims = new JsonArray();
        foreach (var path in requirement.Paths)
        {
            var key = PathKey.Of(path);
            var claim = new JsonObject
            {
                ["id"] = ids[key],
                ["path"] = new JsonArray([.. path.Segments.Select(s => s is int i ? JsonValue.Create(i) : (JsonNode?)JsonValue.Create((string)s!))]),
            };
            if (fixedValues.TryGetValue(key, out var values))
                claim["values"] = new JsonArray([.. values.Select(v => v.DeepClone())]);
            claims.Add(claim);
        }
        query["claims"] = claims;

        var sets = ClaimSets(requirement.Conditions);
        if (sets is not null)
            query["claim_sets"] = new JsonArray([.. sets.Select(set => (JsonNode)new JsonArray([.. set.Select(k => (JsonNode)JsonValue.Create(ids[k]))]))]);
        return query;
    }

    // Only top-level conditions fix a value: inside anyOf a different value may still meet another alternative.
    private static Dictionary<string, IReadOnlyList<JsonNode>> FixedValues(IReadOnlyList<Condition> conditions)
    {
        var values = new Dictionary<string, IReadOnlyList<JsonNode>>(StringComparer.Ordinal);
        var everywhere = conditions.SelectMany(c => c.Paths).GroupBy(PathKey.Of).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var condition in conditions)
        {
            switch (condition)
            {
                case ClaimIn c when everywhere[PathKey.Of(c.Path)] == 1:
                    values[PathKey.Of(c.Path)] = c.Values;
                    break;
                case AllTrue t:
                    foreach (var path in t.Claims.Where(p => everywhere[PathKey.Of(p)] == 1))
                        values[PathKey.Of(path)] = [JsonValue.Create(true)];
                    break;
            }
        }
        return values;
    }

    /// <summary>Null when every claim is always needed; otherwise all claims first (preferred), then each alternative alone.</summary>
    private static List<List<string>>? ClaimSets(IReadOnlyList<Condition> conditions)
    {
        var alternatives = conditions.OfType<AnyOf>().ToList();
        if (alternatives.Count == 0)
            return null;
        var always = conditions.Where(c => c is not AnyOf).SelectMany(c => c.Paths).Select(PathKey.Of).ToList();
        var all = conditions.SelectMany(c => c.Paths).Select(PathKey.Of).Distinct(StringComparer.Ordinal).ToList();
        var sets = new List<List<string>> { all };
        foreach (var anyOf in alternatives)
        {
            var others = alternatives.Where(a => !ReferenceEquals(a, anyOf)).SelectMany(a => a.Paths).Select(PathKey.Of);
            foreach (var option in anyOf.Conditions)
            {
                var set = always.Concat(others).Concat(option.Paths.Select(PathKey.Of)).Distinct(StringComparer.Ordinal)
                    .OrderBy(k => all.IndexOf(k)).ToList();
                if (set.Count > 0 && !sets.Any(s => s.SequenceEqual(set, StringComparer.Ordinal)))
                    sets.Add(set);
            }
        }
        return sets;
    }
}
