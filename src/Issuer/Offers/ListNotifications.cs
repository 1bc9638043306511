using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>
/// HR sees what the wallets said about the credentials they delivered; <c>unresolved=true</c> keeps only the rejections and
/// failures still waiting for HR (who may re-issue with <c>POST /api/credentials/{id}/reissue</c>, then resolve).
/// </summary>
internal static class ListNotifications
{
    public sealed record NotificationResponse(
        Guid Id,
        Guid StaffId,
        Guid CredentialId,
        string CredentialType,
        Guid OfferId,
        DateTimeOffset DeliveredAt,
        string? Event,
        string? Reason,
        string? Description,
        DateTimeOffset? ReceivedAt,
        bool NeedsResolution,
        DateTimeOffset? ResolvedAt,
        string? ResolvedBy,
        string? Resolution);

    public static async Task<Ok<List<NotificationResponse>>> Handle(
        ClaimsPrincipal user, IssuerDbContext db, bool? unresolved, Guid? staffId, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var query = db.WalletNotifications.AsNoTracking().Where(n => n.OdsCode == ods);
        if (unresolved == true)
        {
            query = query.Where(n => (n.Event == WalletNotification.EventDeleted || n.Event == WalletNotification.EventFailure) && n.ResolvedAt == null);
        }
        if (staffId is { } staff)
            query = query.Where(n => n.StaffId == staff);
        var rows = await query
            .OrderByDescending(n => n.Id)
            .Take(500)
            .Join(db.Credentials, n => n.CredentialId, c => c.Id, (n, c) => new { n, c.Type })
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => r.n.ToResponse(r.Type)).ToList());
    }

    public static NotificationResponse ToResponse(this WalletNotification n, string credentialType) => new(
        n.Id, n.StaffId, n.CredentialId, credentialType, n.OfferId, n.DeliveredAt, n.Event, n.Reason, n.Description, n.ReceivedAt,
        n.NeedsResolution, n.ResolvedAt, n.ResolvedBy, n.Resolution);
}
