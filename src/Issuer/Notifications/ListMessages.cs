using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.Issuer.Staff;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Notifications;

public sealed record MessageResponse(
    long Id, string Channel, string Recipient, string Template, string Subject, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt);

/// <summary>The organisation's recent e-mails and text messages, newest first, with whether each was sent.</summary>
internal static class ListMessages
{
    public static async Task<Results<Ok<PageResponse<MessageResponse>>, ValidationProblem>> Handle(
        [PageNumber] int? page, [PageSize] int? pageSize, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (p, size) = Paging.Read(page, pageSize);
        var ods = user.OdsCode();
        var mine = db.Set<Notification>().AsNoTracking().Where(n => n.OdsCode == ods);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine.OrderByDescending(n => n.Id).Skip((p - 1) * size).Take(size)
            .Select(n => new MessageResponse(n.Id, n.Channel, n.Recipient, n.TemplateKey, n.Subject, n.State, n.Attempts, n.CreatedAt, n.SentAt,
                n.State == NotificationStates.Pending ? n.NextAttemptAt : null))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageResponse<MessageResponse>(items, p, size, total));
    }
}
