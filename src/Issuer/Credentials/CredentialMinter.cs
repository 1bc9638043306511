using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Credentials;

/// <summary>
/// Signs an issued credential as an SD-JWT VC: its type's default disclosure frame, the organisation's issuer identifier,
/// its status list entry, and, for a wallet, the holder's key.
/// </summary>
internal sealed class CredentialMinter(SigningKeys keys, IOptions<IssuerOptions> options)
{
    /// <summary>The SD-JWT VC (issuer JWT and every disclosure), bound to <paramref name="holderKey"/> when one is given.</summary>
    public async Task<string> MintAsync(IssuedCredential credential, EcPublicJwk? holderKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var key = await keys.GetActiveAsync(credential.OdsCode, cancellationToken);
        return await MintAsync(credential, key, holderKey, cancellationToken);
    }

    /// <summary>As above with a key already fetched, so a batch asks for it once.</summary>
    public async Task<string> MintAsync(IssuedCredential credential, ActiveKey key, EcPublicJwk? holderKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(key);
        var claims = JsonNode.Parse(credential.Claims) as JsonObject
            ?? throw new InvalidOperationException($"Credential {credential.Id} has claims that are not a JSON object.");
        return await MintAsync(credential, claims, key, holderKey, cancellationToken);
    }

    /// <summary>As above with the claims already parsed (a batch has them from validation); <paramref name="claims"/> is used up.</summary>
    public async Task<string> MintAsync(IssuedCredential credential, JsonObject claims, ActiveKey key, EcPublicJwk? holderKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(key);
        var type = CredentialCatalogue.Find(credential.Type)
            ?? throw new InvalidOperationException($"Credential {credential.Id} has type '{credential.Type}', which the catalogue does not know.");
        var o = options.Value;
        var request = new SdJwtVcRequest
        {
            Issuer = o.IssuerIdFor(credential.OdsCode),
            Vct = credential.Vct,
            Claims = claims,
            Frame = type.FrameFor(claims),
            IssuedAt = credential.IssuedAt,
            ExpiresAt = credential.ExpiresAt,
            HolderKey = holderKey,
            // The home organisation's staff id: not personal data, and what lets a verifier tell the home organisation
            // which member of its staff it deployed, and refuse credentials of two different people presented together.
            Subject = credential.StaffId.ToString(),
            Status = new StatusReference(credential.StatusIndex, o.StatusListUri(credential.OdsCode, credential.StatusListId)),
        };
        var issued = await SdJwtVcIssuer.IssueAsync(request, key.Signer, key.Reference, cancellationToken);
        return issued.Serialized;
    }
}
