using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

/// <summary>
/// HR issues credentials "to the hosted wallet": each is minted bound to the wallet's holder key (<c>cnf.jwk</c>) and kept there,
/// accepted, as a wallet app would keep it after OpenID4VCI. Without ids, every credential in force not yet in the wallet goes in.
/// </summary>
internal static class StoreInHostedWallet
{
    public sealed record StoreRequest(IReadOnlyList<Guid>? CredentialIds);

    public static async Task<Results<Ok<HostedWalletResponse>, ProblemHttpResult>> Handle(
        Guid id, StoreRequest? request, ClaimsPrincipal user, IssuerDbContext db, CredentialMinter minter, SigningKeys keys, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var wallet = await GetHostedWallet.FindAsync(db, ods, id, cancellationToken);
        if (wallet is null)
            return GetHostedWallet.NotFound();
        var wanted = request?.CredentialIds;
        if (wanted is { Count: > 200 })
            return Problems.BadRequest("too_many_credentials", "Put at most 200 credentials in at once.");
        var stored = db.Set<HostedCredential>().Where(h => h.WalletId == wallet.Id).Select(h => h.CredentialId);
        var query = db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods && c.StaffId == id && !stored.Contains(c.Id));
        if (wanted is { Count: > 0 })
            query = query.Where(c => wanted.Contains(c.Id));
        var credentials = (await query.ToListAsync(cancellationToken)).Where(c => c.Status == CredentialStatus.Active).ToList();
        if (wanted is { Count: > 0 } && credentials.Count != wanted.Distinct().Count())
        {
            return Problems.BadRequest("credential_not_storable",
                "Each credential must be one of this person's, in force, and not already in their hosted wallet.");
        }
        var now = time.GetUtcNow();
        var key = await keys.GetActiveAsync(ods, cancellationToken);
        var holder = HostedWalletKeys.PublicKeyOf(wallet);
        foreach (var credential in credentials.Where(c => c.ExpiresAt > now))
        {
            db.Set<HostedCredential>().Add(new HostedCredential
            {
                WalletId = wallet.Id, CredentialId = credential.Id, KeyId = key.Reference.KeyId, StoredAt = now,
                SdJwt = await minter.MintAsync(credential, key, holder, cancellationToken),
            });
            db.Audit.Add(new AuditEntry
            {
                OdsCode = ods, StaffId = id, CredentialId = credential.Id, Action = HostedWalletAudit.Stored, Actor = user.Actor(), At = now,
                Reason = $"hosted wallet, holder key {holder.Thumbprint()}",
            });
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return Problems.Conflict("credential_already_stored", "Someone put the same credential in this hosted wallet at the same moment; look again.");
        }
        return TypedResults.Ok(await GetHostedWallet.ResponseAsync(db, wallet, cancellationToken));
    }
}
