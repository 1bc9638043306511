using Passport.ServiceDefaults;

namespace Passport.Issuer.Staff;

internal static class StaffEndpoints
{
    public static IEndpointRouteBuilder MapStaff(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/staff").RequireAuthorization(PassportPolicies.Hr).WithTags("Staff");
        group.MapPost("/", CreateStaff.Handle).WithSummary("Add a member of staff to your organisation");
        group.MapGet("/", SearchStaff.Handle).WithSummary("Find your organisation's staff by name or assignment number");
        group.MapGet("/{id:guid}", GetStaff.Handle).WithSummary("A staff record");
        group.MapPut("/{id:guid}", UpdateStaff.Handle).WithSummary("Correct a staff record's names, date of birth, assignment, job or login subject");
        group.MapPut("/{id:guid}/registrations", UpdateRegistrations.Handle).WithSummary("Replace a staff record's professional registrations");
        return app;
    }
}
