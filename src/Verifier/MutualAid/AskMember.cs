using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Presentations;
using Passport.Verifier.Profile;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// The presentation request for one consenting member: the open one, or a fresh one when it expired or the wallet declined.
/// Any wallet answers it, including the home organisation's hosted wallet; the decision becomes the member's.
/// </summary>
internal static class AskMember
{
    public static async Task<Results<Ok<PresentationRequestResponse>, Created<PresentationRequestResponse>, ProblemHttpResult>> Handle(
        Guid memberId, ClaimsPrincipal user, VerifierDbContext db, RequestObjectSigner signer, IOptions<VerifierOptions> options,
        IOptions<MutualAidOptions> aid, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var now = time.GetUtcNow();
        // The client identity may be saved on first use; do that before anything of this request is tracked.
        await ClientIdentity.ForAsync(db, signer, ods, now, cancellationToken);
        var member = await db.Set<HostAidMember>().FirstOrDefaultAsync(m => m.Id == memberId && m.HostOdsCode == ods, cancellationToken);
        if (member is null)
            return Problems.NotFound("aid_member_not_found", $"Nobody with member id {memberId} has consented to a mutual-aid request with your organisation as the host.");
        if (member.IsDecided)
            return Problems.Conflict("aid_member_decided", "This person has already been decided; there is nothing more to present.");
        if (member.PresentationRequestId is { } id
            && await db.Set<PresentationRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } open
            && open.StateAt(now) == PresentationRequestState.Open)
            return TypedResults.Ok(open.ToResponse(options.Value, now));

        var agreement = await AgreementLookup.LoadAsync(db, ods, member.AgreementId, null, cancellationToken);
        if (agreement?.Rules.FindRole(member.Role) is not { } role)
            return Problems.Conflict("agreement_changed", "The agreement no longer covers this person's role; nobody can be asked under it.");
        var request = await AidPresentations.AskAsync(db, signer, options.Value, aid.Value, member, agreement, role, now, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("aid_member_changed", "This person's request changed at the same moment; ask again.");
        }
        return TypedResults.Created($"/api/presentation-requests/{request.Id}", request.ToResponse(options.Value, now));
    }
}
