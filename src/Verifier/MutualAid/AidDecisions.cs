using Microsoft.EntityFrameworkCore;
using Passport.Messaging;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Trust;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// A decision on a presentation request put to a mutual-aid member becomes that member's decision, in the same transaction.
/// It is accepted only when the credentials are the member's own, from their home organisation.
/// </summary>
internal static class AidDecisions
{
    public static async Task RecordAsync(
        VerifierDbContext db, ITrustedIssuers trust, Guid presentationRequestId, Decision decision, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var member = await db.Set<HostAidMember>().FirstOrDefaultAsync(
            m => m.PresentationRequestId == presentationRequestId && m.HostOdsCode == decision.OdsCode, cancellationToken);
        if (member is null)
            return;
        var theirs = string.Equals(decision.Subject, member.StaffId.ToString(), StringComparison.OrdinalIgnoreCase)
            && string.Equals(decision.SubjectIssuer, trust.IssuerIdFor(member.HomeOdsCode), StringComparison.Ordinal);
        if (!member.TryDecide(decision.Id, decision.Accepted && theirs, theirs ? null : AidRefusals.NotTheMember, now))
            return;
        var unmet = decision.NotMet().Select(r => r.Id).ToList();
        db.AddOutboxMessage(AidPresentations.Decided(member, decision.Id, unmet, now), now);
    }
}
