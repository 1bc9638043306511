using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

/// <summary>HR opens a hosted wallet for one of their staff who has no wallet app: a fresh holder key, kept encrypted.</summary>
internal static class CreateHostedWallet
{
    public static async Task<Results<Created<HostedWalletResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, HostedWalletKeys keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Staff.AsNoTracking().AnyAsync(s => s.OdsCode == ods && s.Id == id, cancellationToken))
            return Problems.NotFound("staff_not_found", $"There is no member of staff {id} in your organisation.");
        if (await GetHostedWallet.FindAsync(db, ods, id, cancellationToken) is not null)
            return Problems.Conflict("hosted_wallet_exists", "This member of staff already has a hosted wallet.");
        var now = time.GetUtcNow();
        var wallet = keys.Create(ods, id, user.Actor(), now);
        db.Set<HostedWallet>().Add(wallet);
        db.Audit.Add(new AuditEntry { OdsCode = ods, StaffId = id, Action = HostedWalletAudit.Created, Actor = user.Actor(), At = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return Problems.Conflict("hosted_wallet_exists", "This member of staff already has a hosted wallet.");
        }
        return TypedResults.Created($"/api/staff/{id}/hosted-wallet", await GetHostedWallet.ResponseAsync(db, wallet, cancellationToken));
    }
}
