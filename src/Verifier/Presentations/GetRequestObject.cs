using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Presentations;

/// <summary>The wallet fetches the signed request object by reference (RFC 9101 §5.2, OpenID4VP 1.0 §5.7); only while the request is open.</summary>
internal static class GetRequestObject
{
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Handle(
        string ods, Guid id, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = await db.Set<PresentationRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.OdsCode == ods, cancellationToken);
        if (request is null)
            return Problems.NotFound("request_not_found", $"There is no presentation request {id} here.");
        if (WalletProblems.NotOpen(request, time.GetUtcNow()) is { } problem)
            return problem;
        return TypedResults.File(Encoding.ASCII.GetBytes(request.RequestObject), RequestObjectSigner.MediaType);
    }
}

internal static class WalletProblems
{
    public static ProblemHttpResult? NotOpen(PresentationRequest request, DateTimeOffset now) => request.StateAt(now) switch
    {
        PresentationRequestState.Open => null,
        PresentationRequestState.Expired => Problems.BadRequest("request_expired", "This presentation request has expired; ask the verifier for a new one."),
        _ => Problems.BadRequest("request_already_answered", "This presentation request has already been answered; each request takes one answer."),
    };
}
