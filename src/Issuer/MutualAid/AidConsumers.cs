using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Messaging;

namespace Passport.Issuer.MutualAid;

// Thin, idempotent consumers: the inbox row commits with the change, so a redelivery is a no-op.

/// <summary>The host put a presentation request to a consenting member: keep the wallet link the person opens.</summary>
internal sealed class MutualAidPresentationRequestedConsumer(IssuerDbContext db) : IConsumer<MutualAidPresentationRequested>
{
    public async Task Consume(ConsumeContext<MutualAidPresentationRequested> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var member = await db.Set<AidMember>().FirstOrDefaultAsync(x => x.Id == m.MemberId && x.HomeOdsCode == m.HomeOdsCode && x.StaffId == m.StaffId, ct);
        if (member is not null && (member.WalletLinkExpiresAt is null || member.WalletLinkExpiresAt < m.ExpiresAt))
            member.Asked(m.PresentationRequestId, m.WalletLink, m.ExpiresAt);
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>The host decided a member on what they presented (or could not ask them under the agreement).</summary>
internal sealed class MutualAidMemberDecidedConsumer(IssuerDbContext db) : IConsumer<MutualAidMemberDecided>
{
    public async Task Consume(ConsumeContext<MutualAidMemberDecided> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var member = await db.Set<AidMember>().FirstOrDefaultAsync(x => x.Id == m.MemberId && x.HomeOdsCode == m.HomeOdsCode && x.StaffId == m.StaffId, ct);
        member?.TryDecide(m.DecisionId, m.Accepted, m.UnmetRequirements, m.Refusal, m.DecidedAt);
        await db.SaveChangesAsync(ct);
    }
}
