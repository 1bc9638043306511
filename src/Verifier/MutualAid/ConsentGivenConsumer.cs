using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Presentations;
using Passport.Verifier.Profile;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// A member of staff consented: the host they were asked for puts an OpenID4VP request to them for what the agreement
/// requires of the role. Consent for a host this Verifier does not serve is not ours and is only marked as seen.
/// </summary>
internal sealed class MutualAidConsentGivenConsumer(
    VerifierDbContext db, RequestObjectSigner signer, IOptions<VerifierOptions> options, IOptions<MutualAidOptions> aid, IServiceScopeFactory scopes,
    TimeProvider time)
    : IConsumer<MutualAidConsentGiven>
{
    public async Task Consume(ConsumeContext<MutualAidConsentGiven> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var ours = await db.Set<Agreement>().AnyAsync(a => a.OdsCode == m.HostOdsCode, ct);
        // The host's client identity may be saved on first use, and a race for it resolved by starting again: in a scope of its
        // own, so that neither commits nor drops this message's inbox row, pending in ours.
        if (ours)
        {
            await using var scope = scopes.CreateAsyncScope();
            await ClientIdentity.ForAsync(scope.ServiceProvider.GetRequiredService<VerifierDbContext>(), signer, m.HostOdsCode, now, ct);
        }
        if (!ours || await db.Set<HostAidMember>().AnyAsync(x => x.Id == m.MemberId, ct))
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var member = new HostAidMember
        {
            Id = m.MemberId, RequestId = m.RequestId, HostOdsCode = m.HostOdsCode, HomeOdsCode = m.HomeOdsCode, StaffId = m.StaffId,
            AgreementId = m.AgreementId, Role = m.Role, Start = m.Start, End = m.End, ConsentedAt = m.ConsentedAt, CreatedAt = now,
        };
        db.Add(member);
        var agreement = await AgreementLookup.LoadAsync(db, m.HostOdsCode, m.AgreementId, null, ct);
        if (agreement is null)
            AidPresentations.Refuse(db, member, AidRefusals.AgreementNotFound, now);
        else if (AgreementTerms.Check(agreement.Rules, m.Role, m.Start, m.End).Count > 0
            || !agreement.Rules.Parties.Contains(m.HomeOdsCode, StringComparer.Ordinal) || m.HomeOdsCode == m.HostOdsCode)
            AidPresentations.Refuse(db, member, AidRefusals.OutsideAgreementTerms, now);
        else
            await AidPresentations.AskAsync(db, signer, options.Value, aid.Value, member, agreement, agreement.Rules.FindRole(m.Role)!, now, ct);
        await db.SaveChangesAsync(ct);
    }
}
