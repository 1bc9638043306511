using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

/// <summary>The caller's organisation's signing keys, newest first.</summary>
internal static class ListKeys
{
    public static async Task<Ok<KeyResponse[]>> Handle(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var keys = await db.SigningKeys.AsNoTracking()
            .Where(k => k.OdsCode == ods)
            .Select(k => new KeyResponse(k.Kid, k.Provider, k.CreatedAt, k.ActivatedAt, k.RetiredAt, k.PublishUntil))
            .ToListAsync(cancellationToken);
        // Ordered here: SQLite cannot order by DateTimeOffset, and an organisation has a handful of keys.
        return TypedResults.Ok(keys.OrderByDescending(k => k.CreatedAt).ToArray());
    }
}
