using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Notifications;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Notifications;

public sealed record HostMessageResponse(
    long Id, string Channel, string Recipient, string Template, string Subject, string State, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt);

public sealed record HostMessagePage(IReadOnlyList<HostMessageResponse> Items, int Page, int PageSize, int Total);

/// <summary>The receiving organisation's recent messages, newest first, with whether each was sent.</summary>
internal static class ListHostMessages
{
    public static async Task<Results<Ok<HostMessagePage>, ValidationProblem>> Handle(
        [PageNumber] int? page, [PageSize] int? pageSize, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var (p, size) = (page ?? 1, pageSize ?? 50);
        var ods = user.OdsCode();
        var mine = db.Set<Notification>().AsNoTracking().Where(n => n.OdsCode == ods);
        var total = await mine.CountAsync(cancellationToken);
        var items = await mine.OrderByDescending(n => n.Id).Skip((p - 1) * size).Take(size)
            .Select(n => new HostMessageResponse(n.Id, n.Channel, n.Recipient, n.TemplateKey, n.Subject, n.State, n.Attempts, n.CreatedAt, n.SentAt,
                n.State == NotificationStates.Pending ? n.NextAttemptAt : null))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new HostMessagePage(items, p, size, total));
    }
}
