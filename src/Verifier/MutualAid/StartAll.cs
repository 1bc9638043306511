using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// The host starts every accepted member's deployment in one action. The intent is recorded first and the deployments are
/// started by <see cref="AidStarter"/>, so a crash or restart part-way resumes where it stopped. Asking again after it has
/// finished starts the members accepted since.
/// </summary>
internal static class StartAll
{
    public sealed record StartAllRequest([Required(ErrorMessage = HostSiteError)][MaxLength(200, ErrorMessage = HostSiteError)] string? HostSite);

    private const string HostSiteError = "Name the site the people will work at (at most 200 characters).";

    public static async Task<Results<Accepted<HostAidRequestResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid requestId, StartAllRequest request, ClaimsPrincipal user, VerifierDbContext db, AidStarter starter, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var hostSite = request.HostSite!.Trim();
        var ods = user.OdsCode();
        var members = db.Set<HostAidMember>().Where(m => m.HostOdsCode == ods && m.RequestId == requestId);
        if (!await members.AnyAsync(cancellationToken))
            return GetAidRequests.NotFound(requestId);
        if (!await members.AnyAsync(m => m.Accepted == true, cancellationToken))
            return Problems.Conflict("no_accepted_members", "Nobody on this request has been accepted yet; start them once their decisions are in.");

        var now = time.GetUtcNow();
        var start = await db.Set<AidStart>().FirstOrDefaultAsync(s => s.RequestId == requestId && s.HostOdsCode == ods, cancellationToken);
        if (start is null)
        {
            db.Add(new AidStart { RequestId = requestId, HostOdsCode = ods, HostSite = hostSite, RequestedBy = user.Actor(), RequestedAt = now });
        }
        else if (start.CompletedAt is not null)
        {
            (start.HostSite, start.RequestedBy, start.RequestedAt, start.CompletedAt) = (hostSite, user.Actor(), now, null);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex) || ex is DbUpdateConcurrencyException)
        {
            // Someone else asked at the same moment: theirs is recorded and will start everyone.
        }
        starter.Wake();
        return TypedResults.Accepted($"/api/mutual-aid/{requestId}", await GetAidRequests.ViewAsync(db, ods, requestId, cancellationToken));
    }
}
