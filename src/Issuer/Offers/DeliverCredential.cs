using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Credentials.Jose;
using Passport.Issuer.Audit;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Offers;

/// <summary>
/// The credential endpoint (OpenID4VCI 1.0 §8): checks the access token, the request and its key proof, spends the
/// proof's c_nonce, and mints the SD-JWT VC bound to the holder's key. Each delivery gets a notification_id, so the
/// member of staff's accept or reject reaches HR.
/// </summary>
internal static class DeliverCredential
{
    public static async Task<Results<ContentHttpResult, OAuthError>> Handle(
        string ods, HttpContext http, IssuerDbContext db, CredentialMinter minter, SigningKeys keys, IOptions<IssuerOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (offer, tokenError) = await AccessTokens.AuthenticateAsync(http.Request, ods, db, now, tracked: false, cancellationToken);
        if (tokenError is not null)
            return tokenError;

        var (request, bodyError) = await WalletJson.ReadObjectAsync(http.Request, cancellationToken);
        if (bodyError is not null)
            return OAuthError.InvalidCredentialRequest(bodyError);

        var (credentialId, targetError) = await TargetAsync(request!, offer!, db, cancellationToken);
        if (targetError is not null)
            return targetError;
        if (request!.ContainsKey("credential_response_encryption"))
            return OAuthError.InvalidEncryptionParameters("This credential issuer does not encrypt credential responses; leave credential_response_encryption out.");

        var (jwts, proofsError) = ProofJwts(request);
        if (proofsError is not null)
            return proofsError;
        var issuer = options.Value.IssuerIdFor(ods);
        var proofs = new List<CheckedKeyProof>();
        foreach (var jwt in jwts!)
        {
            if (!KeyProof.TryCheck(jwt, issuer, now, out var proof, out var problem))
                return OAuthError.InvalidProof(problem);
            proofs.Add(proof);
        }
        if (offer!.HolderKeyThumbprint is { } bound && proofs.Any(p => !BoundKey.Matches(p.HolderKey, bound)))
        {
            return OAuthError.InvalidProof(
                "This credential can be collected only by the wallet that presented to the host: sign the key proof with that wallet's key.");
        }

        var credential = await db.Credentials.AsNoTracking().FirstAsync(c => c.Id == credentialId, cancellationToken);
        if (credential.Status != CredentialStatus.Active)
            return OAuthError.CredentialRequestDenied("This credential has been withdrawn or suspended since it was offered; HR can tell you more.");

        // The nonce is spent last, so a request refused for another reason can be corrected and sent again with it.
        foreach (var nonce in proofs.Select(p => p.Nonce).Distinct(StringComparer.Ordinal))
        {
            var hash = OfferSecrets.Hash(nonce);
            var stored = await db.Nonces.FirstOrDefaultAsync(n => n.Hash == hash, cancellationToken);
            if (stored is null || !stored.TryUse(now))
                return OAuthError.InvalidNonce("The c_nonce is unknown, already used or expired; get a fresh one from the nonce endpoint.");
        }

        // Signed with the key active now, which may not be the one the credential was issued with: the delivery records
        // it, so the key stays published until this credential expires.
        var key = await keys.GetActiveAsync(ods, cancellationToken);
        var minted = new JsonArray();
        foreach (var proof in proofs)
            minted.Add(new JsonObject { ["credential"] = await minter.MintAsync(credential, key, proof.HolderKey, cancellationToken) });

        var notificationId = OfferSecrets.NewToken();
        db.WalletNotifications.Add(new WalletNotification
        {
            OdsCode = ods, StaffId = offer!.StaffId, OfferId = offer.Id, CredentialId = credential.Id, NotificationId = notificationId, DeliveredAt = now,
            KeyId = key.Reference.KeyId,
        });
        db.Audit.Add(new AuditEntry
        {
            OdsCode = ods, StaffId = offer.StaffId, CredentialId = credential.Id, Action = AuditActions.Delivered, Actor = "wallet",
            Reason = $"offer {offer.Id}, holder key {proofs[0].HolderKey.Thumbprint()}", At = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OAuthError.InvalidNonce("The c_nonce was used by another request at the same moment; get a fresh one from the nonce endpoint.");
        }

        http.Response.Headers.CacheControl = "no-store";
        var body = new JsonObject { ["credentials"] = minted, ["notification_id"] = notificationId };
        return TypedResults.Content(body.ToJsonString(), "application/json");
    }

    /// <summary>Which offered credential the request is for: by credential_identifier (from the token response) or credential_configuration_id.</summary>
    private static async Task<(Guid CredentialId, OAuthError? Error)> TargetAsync(
        JsonObject request, CredentialOffer offer, IssuerDbContext db, CancellationToken cancellationToken)
    {
        if (request.ContainsKey("format"))
            return (default, OAuthError.InvalidCredentialRequest("OpenID4VCI 1.0 requests name a credential_configuration_id or credential_identifier, not a format."));
        var identifier = StringMember(request, "credential_identifier", out var identifierBad);
        var configuration = StringMember(request, "credential_configuration_id", out var configurationBad);
        if (identifierBad || configurationBad)
            return (default, OAuthError.InvalidCredentialRequest("credential_identifier and credential_configuration_id are strings."));
        if ((identifier is null) == (configuration is null))
            return (default, OAuthError.InvalidCredentialRequest("Give exactly one of credential_identifier and credential_configuration_id."));

        if (identifier is not null)
        {
            return Guid.TryParse(identifier, out var id) && offer.CredentialIds.Contains(id)
                ? (id, null)
                : (default, OAuthError.UnknownCredentialIdentifier("The credential_identifier is not one of those in the token response's authorization_details."));
        }

        if (!IssuerMetadata.Supports(configuration!))
            return (default, OAuthError.UnknownCredentialConfiguration($"This credential issuer has no credential configuration '{configuration}'."));
        var candidates = await db.Credentials.AsNoTracking()
            .Where(c => offer.CredentialIds.Contains(c.Id) && c.Type == configuration)
            .OrderBy(c => c.Id).Select(c => c.Id)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
            return (default, OAuthError.UnknownCredentialConfiguration($"The credential configuration '{configuration}' is not part of this offer."));
        // Several credentials of one configuration (e.g. training): each request by configuration takes the next one not yet delivered.
        var delivered = await db.WalletNotifications.AsNoTracking()
            .Where(n => n.OfferId == offer.Id).Select(n => n.CredentialId)
            .ToListAsync(cancellationToken);
        return (candidates.FirstOrDefault(id => !delivered.Contains(id), candidates[0]), null);
    }

    private static (List<string>? Jwts, OAuthError? Error) ProofJwts(JsonObject request)
    {
        var hasProofs = request.TryGetPropertyValue("proofs", out var proofsNode);
        var hasProof = request.TryGetPropertyValue("proof", out var proofNode);
        if (hasProofs && hasProof)
            return (null, OAuthError.InvalidCredentialRequest("Send either proofs or proof, not both."));
        if (!hasProofs && !hasProof)
            return (null, OAuthError.InvalidProof("The credential is bound to the holder's key: send a jwt key proof in 'proofs'."));

        if (hasProofs)
        {
            // OpenID4VCI 1.0 §8.2: exactly one proof type, a non-empty array.
            if (proofsNode is not JsonObject proofs || proofs.Count != 1)
                return (null, OAuthError.InvalidCredentialRequest("proofs is an object with exactly one proof type."));
            if (!proofs.TryGetPropertyValue("jwt", out var jwtArray))
                return (null, OAuthError.InvalidProof($"The proof type '{proofs.First().Key}' is not supported; use 'jwt'."));
            if (jwtArray is not JsonArray array || array.Count == 0)
                return (null, OAuthError.InvalidCredentialRequest("proofs.jwt is a non-empty array of JWTs."));
            if (array.Count > 1)
                return (null, OAuthError.InvalidCredentialRequest("This credential issuer does not offer batch issuance; send exactly one proof."));
            return array[0] is JsonValue v && v.TryGetValue<string>(out var jwt)
                ? ([jwt], null)
                : (null, OAuthError.InvalidCredentialRequest("Each element of proofs.jwt is a JWT string."));
        }

        // The single 'proof' object of earlier drafts, still sent by some wallets.
        if (proofNode is not JsonObject proof)
            return (null, OAuthError.InvalidCredentialRequest("proof is an object with proof_type and jwt."));
        if (StringMember(proof, "proof_type", out _) != "jwt")
            return (null, OAuthError.InvalidProof("Only the 'jwt' proof type is supported."));
        return StringMember(proof, "jwt", out _) is { } single
            ? ([single], null)
            : (null, OAuthError.InvalidCredentialRequest("proof.jwt is a JWT string."));
    }

    private static string? StringMember(JsonObject o, string name, out bool wrongType)
    {
        wrongType = false;
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
            return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
            return s;
        wrongType = true;
        return null;
    }
}

internal static class BoundKey
{
    public static bool Matches(EcPublicJwk key, string thumbprint) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.Thumbprint()), Encoding.ASCII.GetBytes(thumbprint));
}
