using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.Issuer.Offers;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Placements;

/// <summary>
/// The host's staffing team reads a deployment's placement credential and its open offer (link and code to hand to the person on
/// arrival); the person reads their own placements, at every host, from their home sign-in. Only the wallet that presented to the
/// host can redeem the offer, so showing the code to both is safe.
/// </summary>
internal static class GetPlacements
{
    public static async Task<Results<Ok<PlacementResponse>, ProblemHttpResult>> ForDeployment(
        Guid deploymentId, ClaimsPrincipal user, IssuerDbContext db, IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var placement = await db.Set<Placement>().AsNoTracking().FirstOrDefaultAsync(p => p.DeploymentId == deploymentId && p.HostOdsCode == ods, cancellationToken);
        if (placement is null)
            return Problems.NotFound("placement_not_found", $"Your organisation has no placement credential for deployment {deploymentId}; it is issued when the deployment starts.");
        var responses = await RespondAsync([placement], db, dataProtection, options.Value, time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(responses[0]);
    }

    public static async Task<Ok<List<PlacementResponse>>> ForHost(
        ClaimsPrincipal user, IssuerDbContext db, IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var rows = await db.Set<Placement>().AsNoTracking().Where(p => p.HostOdsCode == ods && p.VisitorId != Guid.Empty)
            .OrderByDescending(p => p.Start).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(await RespondAsync(rows, db, dataProtection, options.Value, time.GetUtcNow(), cancellationToken));
    }

    public static async Task<Results<Ok<List<PlacementResponse>>, ProblemHttpResult>> ForMe(
        ClaimsPrincipal user, IssuerDbContext db, IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        var visitors = db.Set<Visitor>().Where(v => v.HomeOdsCode == staff.OdsCode && v.HomeStaffId == staff.Id).Select(v => v.Id);
        var rows = await db.Set<Placement>().AsNoTracking().Where(p => visitors.Contains(p.VisitorId))
            .OrderByDescending(p => p.Start).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(await RespondAsync(rows, db, dataProtection, options.Value, time.GetUtcNow(), cancellationToken));
    }

    /// <summary>The home organisation's HR sees a member of staff's placements at every host (and a hosted wallet collects them on the person's behalf).</summary>
    public static async Task<Results<Ok<List<PlacementResponse>>, ProblemHttpResult>> ForStaff(
        Guid staffId, ClaimsPrincipal user, IssuerDbContext db, IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Staff.AnyAsync(s => s.Id == staffId && s.OdsCode == ods, cancellationToken))
            return Problems.NotFound("staff_not_found", $"Your organisation has no member of staff {staffId}.");
        var visitors = db.Set<Visitor>().Where(v => v.HomeOdsCode == ods && v.HomeStaffId == staffId).Select(v => v.Id);
        var rows = await db.Set<Placement>().AsNoTracking().Where(p => visitors.Contains(p.VisitorId))
            .OrderByDescending(p => p.Start).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(await RespondAsync(rows, db, dataProtection, options.Value, time.GetUtcNow(), cancellationToken));
    }

    private static async Task<List<PlacementResponse>> RespondAsync(
        List<Placement> placements, IssuerDbContext db, IDataProtectionProvider dataProtection, IssuerOptions options, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var visitorIds = placements.Select(p => p.VisitorId).Distinct().ToList();
        var visitors = await db.Set<Visitor>().AsNoTracking().Where(v => visitorIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, cancellationToken);
        var hostCodes = placements.Select(p => p.HostOdsCode).Distinct().ToList();
        var hosts = await db.Organisations.AsNoTracking().Where(o => hostCodes.Contains(o.OdsCode)).ToDictionaryAsync(o => o.OdsCode, o => o.Name, cancellationToken);
        var offerIds = placements.Where(p => p.OfferId is not null).Select(p => p.OfferId!.Value).ToList();
        var offers = await db.Offers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var credentialIds = placements.Where(p => p.CredentialId is not null).Select(p => p.CredentialId!.Value).ToList();
        var answers = await db.WalletNotifications.AsNoTracking().Where(n => credentialIds.Contains(n.CredentialId))
            .Select(n => new { n.CredentialId, n.Event }).ToListAsync(cancellationToken);
        var protector = dataProtection.CreateProtector(PlacementIssuance.TxCodePurpose);

        return
        [
            .. placements.Select(p =>
            {
                visitors.TryGetValue(p.VisitorId, out var visitor);
                var delivered = answers.Where(a => a.CredentialId == p.CredentialId).ToList();
                var state = p.State switch
                {
                    PlacementState.Withdrawn => "withdrawn",
                    PlacementState.NotIssued => "not_issued",
                    _ when delivered.Any(a => a.Event == WalletNotification.EventAccepted) => "accepted",
                    _ when delivered.Any(a => a.Event == WalletNotification.EventDeleted) => "rejected",
                    _ when delivered.Count > 0 => "collected",
                    _ => "offered",
                };
                PlacementOfferResponse? offer = null;
                if (p.State == PlacementState.Offered && p.OfferId is { } offerId && offers.TryGetValue(offerId, out var o)
                    && o.StateAt(now) == OfferState.Open && p.ProtectedTxCode is { } protectedTxCode && TryUnprotect(protector, protectedTxCode) is { } txCode)
                {
                    var links = new OfferLinks(options, p.HostOdsCode, offerId);
                    offer = new PlacementOfferResponse(offerId, links.OfferUri, links.CredentialOfferUri, txCode, o.ExpiresAt);
                }
                return new PlacementResponse(
                    p.DeploymentId, p.HostOdsCode, hosts.GetValueOrDefault(p.HostOdsCode) ?? p.HostOdsCode, p.HomeOdsCode, visitor?.HomeStaffId,
                    visitor?.GivenName, visitor?.FamilyName, p.Department, p.Start, p.End, p.AgreementId, state, p.WithdrawnReason, p.WithdrawnAt,
                    p.CredentialId, offer, p.HolderKeyThumbprint);
            }),
        ];
    }

    private static string? TryUnprotect(IDataProtector protector, string value)
    {
        try
        {
            return protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

/// <summary>
/// A placement credential: where and when, its state (offered, collected, accepted, rejected, withdrawn, not_issued), why it was
/// withdrawn or not issued, in words, and while it is open the offer to hand to the person. <c>HolderKeyThumbprint</c> is the
/// RFC 7638 thumbprint of the key it is bound to (the wallet that presented): when it is the person's hosted wallet's, HR or the
/// person collects it there instead of scanning the offer.
/// </summary>
public sealed record PlacementResponse(
    Guid DeploymentId, string HostOdsCode, string HostName, string HomeOdsCode, Guid? HomeStaffId, string? GivenName, string? FamilyName,
    string Department, DateOnly Start, DateOnly End, Guid? AgreementId, string State, string? Reason, DateTimeOffset? WithdrawnAt, Guid? CredentialId,
    PlacementOfferResponse? Offer, string? HolderKeyThumbprint = null);

/// <summary>The open offer: the link (a QR code's text) for the person's wallet and the code to enter with it.</summary>
public sealed record PlacementOfferResponse(Guid Id, string OfferUri, string CredentialOfferUri, string TxCode, DateTimeOffset ExpiresAt);
