using Passport.Issuer.Offers;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

internal static class CredentialEndpoints
{
    public static IEndpointRouteBuilder MapCredentials(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/staff/{id:guid}/credentials").RequireAuthorization(PassportPolicies.Hr).WithTags("Credentials");
        staff.MapPost("/", IssueCredential.Handle).WithSummary("Issue one credential to a member of staff (idempotent by source reference)");
        staff.MapGet("/", ListStaffCredentials.Handle).WithSummary("A member of staff's credentials");

        var credentials = app.MapGroup("/api/credentials").RequireAuthorization(PassportPolicies.Hr).WithTags("Credentials");
        credentials.MapPost("/batch", IssueCredentialBatch.Handle).WithSummary("Issue many credentials; each item's result is reported");
        credentials.MapGet("/{id:guid}", GetCredential.Handle).WithSummary("A credential, with its status");
        credentials.MapPost("/{id:guid}/reissue", ReissueCredential.Handle).WithSummary("Re-issue a credential; the old one is withdrawn as superseded");
        credentials.MapPost("/{id:guid}/revoke", ChangeCredentialStatus.Revoke).WithSummary("Withdraw a credential for good, with a reason");
        credentials.MapPost("/{id:guid}/suspend", ChangeCredentialStatus.Suspend).WithSummary("Suspend a credential, with a reason");
        credentials.MapPost("/{id:guid}/reinstate", ChangeCredentialStatus.Reinstate).WithSummary("Reinstate a suspended credential");

        var me = app.MapGroup("/api/me").RequireAuthorization(PassportPolicies.Staff).WithTags("My passport");
        me.MapGet("/passport", GetMyPassport.Handle).WithSummary("Your passport: your credentials, their status and their SD-JWT VCs");
        me.MapPost("/credentials/{id:guid}/reply", ReplyToCredential.Handle)
            .WithSummary("Accept or reject a credential offered to you (duplicate, incorrect, not wanted or other, with words); HR sees it as a wallet's reply");
        return app;
    }
}
