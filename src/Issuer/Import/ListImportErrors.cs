using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Import;

/// <summary>Every row error of an import so far, in file order, a page at a time.</summary>
internal static class ListImportErrors
{
    public static async Task<Results<Ok<PageResponse<RowError>>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [PageNumber] int? page, [PageSize] int? pageSize, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (p, size) = Paging.Read(page, pageSize);
        var ods = user.OdsCode();
        if (!await db.ImportJobs.AnyAsync(j => j.Id == id && j.OdsCode == ods, cancellationToken))
            return GetImport.NotFound(id);
        var query = db.Set<ImportRowError>().AsNoTracking().Where(e => e.ImportJobId == id);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(e => e.Line).ThenBy(e => e.Id).Skip((p - 1) * size).Take(size)
            .Select(e => new RowError(e.Line, e.Field, e.Reason)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageResponse<RowError>(items, p, size, total));
    }
}
