using System.Text.Json.Nodes;
using Passport.Credentials.OpenId4Vp;
using Passport.Credentials.SdJwt;

namespace Passport.Cli.Wallet;

/// <summary>One DCQL credential query answered: which held credential, and exactly which claim paths it will disclose.</summary>
internal sealed record DcqlAnswer(string QueryId, StoredCredential Credential, HeldCredential Held, IReadOnlyList<ClaimPath> Paths);

/// <summary>
/// The wallet's side of <see cref="DcqlMatcher"/> (the matching the hosted wallet uses too): the stored credentials matched
/// against a DCQL query, a path the wallet cannot follow refused with a sentence, and values shown as JSON.
/// </summary>
internal static class DcqlMatch
{
    public static (IReadOnlyList<DcqlAnswer> Answers, IReadOnlyList<string> Unanswered) Match(JsonObject query, IReadOnlyList<StoredCredential> held, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(held);
        foreach (var claimQuery in (query["credentials"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(c => (c["claims"] as JsonArray ?? []).OfType<JsonObject>()))
            PathOf(claimQuery);
        var (answers, unanswered) = DcqlMatcher.Match(query, [.. held.Select(c => (c, c.Parse()))], now);
        return ([.. answers.Select(a => new DcqlAnswer(a.QueryId, a.Item, a.Held, a.Paths))], unanswered);
    }

    /// <summary>The value(s) at a claim path, as JSON, for showing to the member of staff.</summary>
    public static string Values(JsonObject claims, ClaimPath path)
    {
        var found = DcqlMatcher.Values(claims, path).Select(n => n?.ToJsonString() ?? "null").ToList();
        return found.Count == 1 ? found[0] : $"[{string.Join(", ", found)}]";
    }

    public static ClaimPath PathOf(JsonObject claimQuery) =>
        DcqlMatcher.PathOf(claimQuery) ?? throw new Api.CommandFailedException("A DCQL claim query has no path, or a path holding something other than names, indexes and null.");
}
