using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Cli.Wallet;

/// <summary>One DCQL credential query answered: which held credential, and exactly which claim paths it will disclose.</summary>
internal sealed record DcqlAnswer(string QueryId, StoredCredential Credential, HeldCredential Held, IReadOnlyList<ClaimPath> Paths);

/// <summary>
/// Matches a DCQL query (OpenID4VP 1.0 §6) against the wallet: per credential query, a held SD-JWT VC of one of the
/// <c>vct_values</c> whose claims exist (and take one of the <c>values</c> when given), choosing the first satisfiable
/// claim set (§6.4.1) so that nothing beyond one option is disclosed. Among several matches the one valid longest wins.
/// A query that only optional credential sets (§6.2, <c>required: false</c>) name is left out, not reported, when nothing held answers it.
/// </summary>
internal static class DcqlMatch
{
    public static (IReadOnlyList<DcqlAnswer> Answers, IReadOnlyList<string> Unanswered) Match(JsonObject query, IReadOnlyList<StoredCredential> held, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parsed = held.Select(c => (Stored: c, Held: c.Parse())).Where(c => Expiry(c.Held) is not { } exp || exp > now).ToList();
        var answers = new List<DcqlAnswer>();
        var unanswered = new List<string>();
        var optional = OptionalQueries(query);
        foreach (var credentialQuery in query["credentials"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var id = credentialQuery["id"]?.GetValue<string>() ?? "";
            var vcts = credentialQuery["meta"]?["vct_values"]?.AsArray().Select(v => v?.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            var best = parsed
                .Where(c => credentialQuery["format"]?.GetValue<string>() == "dc+sd-jwt" && c.Held.Vct is { } vct && vcts.Contains(vct))
                .Select(c => (c.Stored, c.Held, Paths: ChosenPaths(credentialQuery, c.Held.Claims)))
                .Where(c => c.Paths is not null)
                .OrderByDescending(c => Expiry(c.Held) ?? DateTimeOffset.MaxValue)
                .FirstOrDefault();
            if (best.Paths is null && !optional.Contains(id))
                unanswered.Add(id);
            else if (best.Paths is null)
                continue;
            else
                answers.Add(new DcqlAnswer(id, best.Stored, best.Held, best.Paths));
        }
        return (answers, unanswered);
    }

    private static HashSet<string> OptionalQueries(JsonObject query)
    {
        if (query["credential_sets"] is not JsonArray sets)
            return [];
        static IEnumerable<string> Ids(JsonObject set) =>
            (set["options"] as JsonArray ?? []).OfType<JsonArray>().SelectMany(o => o).Select(i => i is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>();
        var required = sets.OfType<JsonObject>().Where(s => s["required"] is not JsonValue r || !r.TryGetValue<bool>(out var b) || b).SelectMany(Ids).ToHashSet(StringComparer.Ordinal);
        return sets.OfType<JsonObject>().Where(s => s["required"] is JsonValue r && r.TryGetValue<bool>(out var b) && !b).SelectMany(Ids)
            .Where(id => !required.Contains(id)).ToHashSet(StringComparer.Ordinal);
    }

    private static DateTimeOffset? Expiry(HeldCredential held) =>
        held.Jwt.Payload["exp"] is JsonValue v && v.TryGetValue<long>(out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;

    private static List<ClaimPath>? ChosenPaths(JsonObject credentialQuery, JsonObject claims)
    {
        if (credentialQuery["claims"] is not JsonArray claimQueries || claimQueries.Count == 0)
            return [];
        var byId = claimQueries.OfType<JsonObject>().Select((c, i) => (Id: c["id"]?.GetValue<string>() ?? $"#{i}", Query: c)).ToList();
        if (credentialQuery["claim_sets"] is JsonArray sets)
        {
            foreach (var set in sets.OfType<JsonArray>())
            {
                var chosen = set.Select(s => byId.FirstOrDefault(c => c.Id == s?.GetValue<string>()).Query).ToList();
                if (chosen.All(c => c is not null && Satisfies(c, claims)))
                    return [.. chosen.Select(c => PathOf(c!))];
            }
            return null;
        }
        return byId.All(c => Satisfies(c.Query, claims)) ? [.. byId.Select(c => PathOf(c.Query))] : null;
    }

    private static bool Satisfies(JsonObject claimQuery, JsonObject claims)
    {
        var found = Resolve(claims, PathOf(claimQuery).Segments, 0).ToList();
        if (found.Count == 0)
            return false;
        if (claimQuery["values"] is not JsonArray values)
            return true;
        return found.Any(f => values.Any(v => JsonNode.DeepEquals(f, v)));
    }

    private static IEnumerable<JsonNode?> Resolve(JsonNode? node, IReadOnlyList<object?> path, int at)
    {
        if (at == path.Count)
        {
            yield return node;
            yield break;
        }
        switch (path[at], node)
        {
            case (string name, JsonObject o) when o.TryGetPropertyValue(name, out var child):
                foreach (var n in Resolve(child, path, at + 1))
                    yield return n;
                break;
            case (int index, JsonArray a) when index < a.Count:
                foreach (var n in Resolve(a[index], path, at + 1))
                    yield return n;
                break;
            case (null, JsonArray a):
                foreach (var element in a)
                {
                    foreach (var n in Resolve(element, path, at + 1))
                        yield return n;
                }
                break;
        }
    }

    /// <summary>The value(s) at a claim path, as JSON, for showing to the member of staff.</summary>
    public static string Values(JsonObject claims, ClaimPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var found = Resolve(claims, path.Segments, 0).Select(n => n?.ToJsonString() ?? "null").ToList();
        return found.Count == 1 ? found[0] : $"[{string.Join(", ", found)}]";
    }

    public static ClaimPath PathOf(JsonObject claimQuery) =>
        new([.. (claimQuery["path"]?.AsArray() ?? []).Select(s => s switch
        {
            null => null,
            JsonValue v when v.TryGetValue<int>(out var i) => (object?)i,
            JsonValue v => v.GetValue<string>(),
            _ => throw new Api.CommandFailedException("A DCQL claim path holds something other than names, indexes and null."),
        })]);
}
