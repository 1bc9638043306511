using MassTransit;
using Passport.ServiceDefaults;

namespace Passport.Issuer.MutualAid;

internal static class AidEndpoints
{
    public static IEndpointRouteBuilder MapIssuerMutualAid(this IEndpointRouteBuilder app)
    {
        var hr = app.MapGroup("/api/mutual-aid-requests").RequireAuthorization(PassportPolicies.Hr).WithTags("Mutual aid (home organisation)");
        hr.MapPost("/", RaiseAidRequest.Handle).WithName("RaiseAidRequest")
            .WithSummary("Ask a host for named staff under its agreement, for a role and dates; each person is asked to consent")
            .WithDescription("Name the staff by id (staffIds), by staff group or job title (every one of your staff with it), or by a CSV file with an "
                + "assignment_number column (csv); the three add up. At most 5000 people.")
            .ProducesValidationProblem();
        hr.MapGet("/staff", AidCandidates.Handle).WithName("ListAidCandidates")
            .WithSummary("Your staff to pick for a request, filtered by staff group, job title and name or assignment number, a page at a time, with every staff group and job title to filter by")
            .ProducesValidationProblem();
        hr.MapGet("/", GetAidRequest.List).WithName("ListAidRequests")
            .WithSummary("Your organisation's mutual-aid requests, newest first: those your HR raised and those a host raised for your staff (raisedByOdsCode)");
        hr.MapGet("/{id:guid}", GetAidRequest.One).WithName("GetAidRequest")
            .WithSummary("One request, per person: waiting for consent, declined, waiting for the host's decision, accepted, not accepted (and why) or deployed")
            .ProducesProblem(StatusCodes.Status404NotFound);
        hr.MapPost("/{id:guid}/members/{memberId:guid}/answer", AnswerAidRequest.RecordByHr).WithName("RecordAidAnswer")
            .WithSummary("Record a person's consent or refusal given to you in person or by phone; kept in the audit with who recorded it, when and how")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var me = app.MapGroup("/api/me/mutual-aid").RequireAuthorization(PassportPolicies.Staff).WithTags("My passport");
        me.MapGet("/", AnswerAidRequest.Mine).WithName("ListMyAidRequests")
            .WithSummary("Mutual-aid requests you are asked to consent to, and what became of them; once you consent, the wallet link to present with")
            .ProducesProblem(StatusCodes.Status403Forbidden);
        me.MapGet("/{memberId:guid}", AnswerAidRequest.MineOne).WithName("GetMyAidRequest").WithSummary("One request you are asked to consent to")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        me.MapPost("/{memberId:guid}/consent", AnswerAidRequest.Consent).WithName("ConsentToAidRequest")
            .WithSummary("Consent: the host may then ask for the credentials its agreement requires")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        me.MapPost("/{memberId:guid}/decline", AnswerAidRequest.Decline).WithName("DeclineAidRequest")
            .WithSummary("Decline: you will not be deployed under this request")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
