using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Audit;

/// <summary>HR reads their organisation's audit trail over a period, newest first, a page at a time.</summary>
internal static class SearchAudit
{
    public static async Task<Results<Ok<PageResponse<AuditEntryResponse>>, ValidationProblem>> Handle(
        DateTimeOffset? from, DateTimeOffset? to, [PageNumber] int? page, [PageSize] int? pageSize, ClaimsPrincipal user, IssuerDbContext db,
        CancellationToken cancellationToken)
    {
        if (from is not null && to is not null && from > to)
            return Problems.Validation(new Dictionary<string, string[]> { ["to"] = ["'to' must not be before 'from'."] });
        var (p, size) = Paging.Read(page, pageSize);

        var ods = user.OdsCode();
        var query = db.Audit.AsNoTracking().Where(a => a.OdsCode == ods);
        if (from is { } f)
            query = query.Where(a => a.At >= f);
        if (to is { } t)
            query = query.Where(a => a.At < t);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Id).Skip((p - 1) * size).Take(size)
            .Select(a => new AuditEntryResponse(a.Id, a.At, a.Action, a.Actor, a.StaffId, a.CredentialId, a.Reason))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageResponse<AuditEntryResponse>(items, p, size, total));
    }
}
