using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.OpenId4Vp;

/// <summary>One DCQL credential query answered: which held credential, and exactly which claim paths it will disclose.</summary>
public sealed record DcqlMatch<T>(string QueryId, T Item, HeldCredential Held, IReadOnlyList<ClaimPath> Paths);

/// <summary>
/// Matches a DCQL query (OpenID4VP 1.0 §6) against held SD-JWT VCs: per credential query, one of the <c>vct_values</c> whose
/// claims exist (and take one of the <c>values</c> when given), choosing the first satisfiable claim set (§6.4.1) so that
/// nothing beyond one option is disclosed. Among several matches the one valid longest wins. A query only optional credential
/// sets (§6.2, <c>required: false</c>) name is left out, not reported, when nothing held answers it.
/// </summary>
public static class DcqlMatcher
{
    public static (IReadOnlyList<DcqlMatch<T>> Answers, IReadOnlyList<string> Unanswered) Match<T>(
        JsonObject query, IReadOnlyList<(T Item, HeldCredential Held)> held, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(held);
        var usable = held.Where(c => Expiry(c.Held) is not { } exp || exp > now).ToList();
        var answers = new List<DcqlMatch<T>>();
        var unanswered = new List<string>();
        var optional = OptionalQueries(query);
        foreach (var credentialQuery in query["credentials"] as JsonArray is { } list ? list.OfType<JsonObject>() : [])
        {
            var id = Str(credentialQuery["id"]) ?? "";
            var vcts = (credentialQuery["meta"]?["vct_values"] as JsonArray ?? []).Select(Str).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var best = usable
                .Where(c => Str(credentialQuery["format"]) == "dc+sd-jwt" && c.Held.Vct is { } vct && vcts.Contains(vct))
                .Select(c => (c.Item, c.Held, Paths: ChosenPaths(credentialQuery, c.Held.Claims)))
                .Where(c => c.Paths is not null)
                .OrderByDescending(c => Expiry(c.Held) ?? DateTimeOffset.MaxValue)
                .FirstOrDefault();
            if (best.Paths is not null)
                answers.Add(new DcqlMatch<T>(id, best.Item, best.Held, best.Paths));
            else if (!optional.Contains(id))
                unanswered.Add(id);
        }
        return (answers, unanswered);
    }

    /// <summary>The value(s) at a claim path, as JSON, for showing to the member of staff.</summary>
    public static IReadOnlyList<JsonNode?> Values(JsonObject claims, ClaimPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return [.. Resolve(claims, path.Segments, 0)];
    }

    private static HashSet<string> OptionalQueries(JsonObject query)
    {
        if (query["credential_sets"] is not JsonArray sets)
            return [];
        static IEnumerable<string> Ids(JsonObject set) =>
            (set["options"] as JsonArray ?? []).OfType<JsonArray>().SelectMany(o => o).Select(Str).OfType<string>();
        static bool Required(JsonObject set) => set["required"] is not JsonValue r || !r.TryGetValue<bool>(out var b) || b;
        var required = sets.OfType<JsonObject>().Where(Required).SelectMany(Ids).ToHashSet(StringComparer.Ordinal);
        return sets.OfType<JsonObject>().Where(s => !Required(s)).SelectMany(Ids).Where(id => !required.Contains(id)).ToHashSet(StringComparer.Ordinal);
    }

    private static DateTimeOffset? Expiry(HeldCredential held) =>
        held.Jwt.Payload["exp"] is JsonValue v && v.TryGetValue<long>(out var exp) ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799)) : null;

    private static List<ClaimPath>? ChosenPaths(JsonObject credentialQuery, JsonObject claims)
    {
        if (credentialQuery["claims"] is not JsonArray claimQueries || claimQueries.Count == 0)
            return [];
        var byId = claimQueries.OfType<JsonObject>().Select((c, i) => (Id: Str(c["id"]) ?? $"#{i}", Query: c)).ToList();
        if (byId.Any(c => PathOf(c.Query) is null))
            return null;
        if (credentialQuery["claim_sets"] is JsonArray sets)
        {
            foreach (var set in sets.OfType<JsonArray>())
            {
                var chosen = set.Select(s => byId.FirstOrDefault(c => c.Id == Str(s)).Query).ToList();
                if (chosen.All(c => c is not null && Satisfies(c, claims)))
                    return [.. chosen.Select(c => PathOf(c!)!)];
            }
            return null;
        }
        return byId.All(c => Satisfies(c.Query, claims)) ? [.. byId.Select(c => PathOf(c.Query)!)] : null;
    }

    private static bool Satisfies(JsonObject claimQuery, JsonObject claims)
    {
        var found = Resolve(claims, PathOf(claimQuery)!.Segments, 0).ToList();
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
            case (int index, JsonArray a) when index >= 0 && index < a.Count:
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

    /// <summary>A claim query's path: member names, array indexes and null; null when it holds anything else.</summary>
    public static ClaimPath? PathOf(JsonObject claimQuery)
    {
        ArgumentNullException.ThrowIfNull(claimQuery);
        if (claimQuery["path"] is not JsonArray { Count: > 0 } path)
            return null;
        var segments = new List<object?>();
        foreach (var s in path)
        {
            switch (s)
            {
                case null:
                    segments.Add(null);
                    break;
                case JsonValue v when v.TryGetValue<int>(out var i):
                    segments.Add(i);
                    break;
                case JsonValue v when v.TryGetValue<string>(out var name):
                    segments.Add(name);
                    break;
                default:
                    return null;
            }
        }
        return new ClaimPath(segments);
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
