using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>A wallet route under <c>/issuers/{ods}</c> for an organisation not registered here is 404 before any handler writes a row.</summary>
internal sealed class KnownIssuer(IssuerDbContext db) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ods = context.HttpContext.Request.RouteValues["ods"] as string;
        if (ods is null || !await db.Organisations.AsNoTracking().AnyAsync(o => o.OdsCode == ods, context.HttpContext.RequestAborted))
            return Problems.NotFound("issuer_not_found", "There is no credential issuer for that organisation here.");
        return await next(context);
    }
}
