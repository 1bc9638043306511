using System.Text.Json.Nodes;

namespace Passport.Verifier.Decisions;

/// <summary>
/// The person's names, so the receiving organisation sees whom it checked. Read only from verified credentials (bound to
/// the one holder key and subject the presentation check already insists on); a wallet that does not share them gives none.
/// </summary>
internal static class PersonName
{
    public const int MaxLength = 100;

    public static (string? GivenName, string? FamilyName) Of(IEnumerable<PresentedCredential> credentials)
    {
        foreach (var c in credentials.Where(c => c.State == CredentialState.Verified && c.Claims is not null)
            .OrderByDescending(c => c.QueryId == Presentations.DcqlQuery.PersonQueryId))
        {
            if (Text(c.Claims!, "given_name") is { } given && Text(c.Claims!, "family_name") is { } family)
                return (given, family);
        }
        return (null, null);
    }

    private static string? Text(JsonObject claims, string name) =>
        claims[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim() is { Length: > 0 and <= MaxLength } t ? t : null;
}
