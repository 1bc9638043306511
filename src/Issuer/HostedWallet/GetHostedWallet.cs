using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

public sealed record HostedCredentialResponse(Guid CredentialId, string Type, string Name, string Status, DateTimeOffset ExpiresAt, DateTimeOffset StoredAt);

public sealed record HostedPresentationResponse(
    Guid Id, string? VerifierName, string Disclosed, string ConsentMethod, DateTimeOffset ConsentGivenAt, string PresentedBy, DateTimeOffset PresentedAt);

/// <summary>A hosted wallet as HR and its holder see it: never its key, only the key's thumbprint.</summary>
public sealed record HostedWalletResponse(
    Guid StaffId, DateTimeOffset CreatedAt, string HolderKeyThumbprint, IReadOnlyList<HostedCredentialResponse> Credentials,
    IReadOnlyList<HostedPresentationResponse> Presentations);

internal static class GetHostedWallet
{
    public static async Task<Results<Ok<HostedWalletResponse>, ProblemHttpResult>> ForStaff(Guid id, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var wallet = await FindAsync(db, user.OdsCode(), id, cancellationToken);
        return wallet is null ? NotFound() : TypedResults.Ok(await ResponseAsync(db, wallet, cancellationToken));
    }

    public static async Task<Results<Ok<HostedWalletResponse>, ProblemHttpResult>> ForMe(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        var wallet = await FindAsync(db, staff.OdsCode, staff.Id, cancellationToken);
        return wallet is null ? NotFound() : TypedResults.Ok(await ResponseAsync(db, wallet, cancellationToken));
    }

    public static Task<HostedWallet?> FindAsync(IssuerDbContext db, string ods, Guid staffId, CancellationToken cancellationToken) =>
        db.Set<HostedWallet>().AsNoTracking().FirstOrDefaultAsync(w => w.OdsCode == ods && w.StaffId == staffId, cancellationToken);

    public static ProblemHttpResult NotFound() =>
        Problems.NotFound("hosted_wallet_not_found", "This member of staff has no hosted wallet; HR can create one for them.");

    public static async Task<HostedWalletResponse> ResponseAsync(IssuerDbContext db, HostedWallet wallet, CancellationToken cancellationToken)
    {
        var credentials = await (from h in db.Set<HostedCredential>().AsNoTracking()
                                 join c in db.Credentials.AsNoTracking() on h.CredentialId equals c.Id
                                 where h.WalletId == wallet.Id
                                 orderby h.StoredAt
                                 select new { c.Id, c.Type, c.Status, c.ExpiresAt, h.StoredAt }).ToListAsync(cancellationToken);
        var presentations = await db.Set<HostedPresentation>().AsNoTracking().Where(p => p.WalletId == wallet.Id)
            .OrderByDescending(p => p.PresentedAt).Take(50).ToListAsync(cancellationToken);
        return new HostedWalletResponse(wallet.StaffId, wallet.CreatedAt, HostedWalletKeys.PublicKeyOf(wallet).Thumbprint(),
            [.. credentials.Select(c => new HostedCredentialResponse(c.Id, c.Type, CredentialCatalogue.Find(c.Type)?.Name ?? c.Type, GetCredential.StatusName(c.Status), c.ExpiresAt, c.StoredAt))],
            [.. presentations.Select(p => new HostedPresentationResponse(p.Id, p.VerifierName, p.Disclosed, p.ConsentMethod, p.ConsentGivenAt, p.PresentedBy, p.PresentedAt))]);
    }
}
