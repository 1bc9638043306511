using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Passport.Credentials.Jose;
using Passport.Credentials.StatusList;

namespace Passport.Cli.Wallet;

/// <summary>
/// A held credential's current status, read from its issuer's Token Status List: the list token is verified with the
/// issuer's published keys (JWT VC Issuer Metadata) before the credential's entry is read.
/// </summary>
internal sealed class CredentialStatusCheck(WalletHttp http, TimeProvider time)
{
    private readonly Dictionary<string, JsonWebKeySet> _keys = new(StringComparer.Ordinal);

    public async Task<string> StatusAsync(StoredCredential credential, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var held = credential.Parse();
        if (held.Jwt.Payload["exp"] is JsonValue v && v.TryGetValue<long>(out var exp) && DateTimeOffset.FromUnixTimeSeconds(exp) <= time.GetUtcNow())
            return "expired";
        if (held.Jwt.Payload["status"]?["status_list"] is not JsonObject entry
            || entry["uri"] is not JsonValue u || !u.TryGetValue<string>(out var uri)
            || entry["idx"] is not JsonValue i || !i.TryGetValue<long>(out var index))
            return "no status list";
        try
        {
            var token = await http.GetStringAsync(uri, "The status list", "application/statuslist+jwt", cancellationToken);
            if (!_keys.TryGetValue(credential.Issuer, out var keys))
                _keys[credential.Issuer] = keys = await http.IssuerKeysAsync(credential.Issuer, cancellationToken);
            var verifier = new StatusListTokenVerifier((_, kid) => keys.Find(kid), time);
            if (!verifier.TryVerify(token.Trim(), uri, out var list, out var error) || !list.TryLookup(index, out var status, out error))
                return $"unknown ({error?.Code})";
            return status switch
            {
                StatusType.Valid => "valid",
                StatusType.Invalid => "withdrawn",
                StatusType.Suspended => "suspended",
                _ => $"status {status}",
            };
        }
        catch (CommandFailedException)
        {
            return "unknown (issuer unreachable)";
        }
    }
}
