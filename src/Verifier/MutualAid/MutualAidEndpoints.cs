using MassTransit;
using Passport.ServiceDefaults;

namespace Passport.Verifier.MutualAid;

internal static class MutualAidEndpoints
{
    public static IEndpointRouteBuilder MapVerifierMutualAid(this IEndpointRouteBuilder app)
    {
        // Not /api/mutual-aid-requests: the home organisation's requests answer there, and both services run in one host.
        var group = app.MapGroup("/api/mutual-aid").RequireAuthorization(PassportPolicies.Verifier).WithTags("Mutual aid (host)");
        group.MapGet("/", GetAidRequests.List).WithName("ListHostedAidRequests")
            .WithSummary("Mutual-aid requests with your organisation as the host, with how many people consented, were decided, accepted and deployed");
        group.MapPost("/", RaiseAsHost.Handle).WithName("RaiseAidRequestAsHost")
            .WithSummary("Ask a home organisation for named staff, where your agreement with it lets the host raise mutual aid; each person is asked to consent")
            .WithDescription("Name people you hosted before (staffIds, see visitors) or give a CSV file with an assignment_number column (csv); both add up, "
                + "at most 5000. Checked against the agreement now (403 host_may_not_raise when it does not allow it), then sent to the home organisation, "
                + "which asks each person to consent and answers with how many it asked and the assignment numbers it could not find (see {requestId}/raised).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/raised", RaiseAsHost.List).WithName("ListAidRequestsRaisedAsHost")
            .WithSummary("Mutual-aid requests your organisation raised as the host, newest first, with who raised each and the home organisation's answer");
        group.MapGet("/{requestId:guid}/raised", RaiseAsHost.One).WithName("GetAidRequestRaisedAsHost")
            .WithSummary("One request your organisation raised as the host: sent, or answered with how many people were asked and whom the home organisation could not find")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/agreements", RaiseAsHost.Agreements).WithName("ListAgreementsHostMayRaiseUnder")
            .WithSummary("Your agreements, in force or to come, that let you raise mutual aid: the home organisations you can ask and the roles");
        group.MapGet("/visitors", RaiseAsHost.Visitors).WithName("ListAidVisitors")
            .WithSummary("People you have hosted before (a deployment with you), by home organisation, whom you can ask for again by name")
            .ProducesValidationProblem();
        group.MapGet("/{requestId:guid}", GetAidRequests.One).WithName("GetHostedAidRequest")
            .WithSummary("One mutual-aid request: per consenting person, waiting for their presentation, accepted, not accepted (and why) or deployed")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{requestId:guid}/start", StartAll.Handle).WithName("StartAllAidDeployments")
            .WithSummary("Start every accepted person's deployment in one action")
            .WithDescription("Recorded first and carried out in the background, a batch at a time: a crash or restart part-way resumes where it stopped, "
                + "and nobody is started twice. Each is an ordinary deployment with its own events. Asking again later starts those accepted since.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/members/{memberId:guid}/presentation-request", AskMember.Handle).WithName("GetAidMemberPresentationRequest")
            .WithSummary("The OpenID4VP presentation request for one consenting person: the open one, or a fresh one")
            .WithDescription("What the person's wallet, or the home organisation's hosted wallet, answers; the decision becomes the person's on the request.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }
}
