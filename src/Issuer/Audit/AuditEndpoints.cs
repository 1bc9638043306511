using Passport.ServiceDefaults;

namespace Passport.Issuer.Audit;

internal static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/staff/{id:guid}/history", GetStaffHistory.Handle).RequireAuthorization(PassportPolicies.Hr).WithTags("Audit")
            .WithSummary("The history of a member of staff's passport");
        app.MapGet("/api/audit", SearchAudit.Handle).RequireAuthorization(PassportPolicies.Hr).WithTags("Audit")
            .WithSummary("Your organisation's audit trail over a period (from inclusive, to exclusive)");
        app.MapGet("/api/me/history", GetMyHistory.Handle).RequireAuthorization(PassportPolicies.Staff).WithTags("My passport")
            .WithSummary("Your passport's history");
        return app;
    }
}
