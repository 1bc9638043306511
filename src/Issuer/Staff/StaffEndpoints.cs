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
        group.MapPost("/{id:guid}/enrolment-code", IssueEnrolmentCode.Handle)
            .WithSummary("Issue a one-time code the member of staff redeems to link their sign-in to this record (replaces an unredeemed one)");

        app.MapPost("/api/me/enrolment", RedeemEnrolmentCode.Handle).RequireAuthorization(PassportPolicies.Staff).WithTags("My passport")
            .WithSummary("Redeem HR's enrolment code: links your staff record to your sign-in");
        return app;
    }
}
