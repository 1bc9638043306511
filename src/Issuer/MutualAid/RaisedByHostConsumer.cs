using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Data;
using Passport.Issuer.Notifications;
using Passport.Messaging;

namespace Passport.Issuer.MutualAid;

/// <summary>
/// A host raised a mutual-aid request for this organisation's staff (the host checked that its agreement allows it). The
/// people it named who are this organisation's staff are asked to consent exactly as when HR raises a request; the
/// request says who raised it, and the host is told how many were asked and whom nobody here matches. A home organisation
/// this Issuer does not serve is not ours, and the message is only marked as seen. HR's contacts are told, with the
/// request, when anyone was asked: a request they did not raise themselves must not wait unseen.
/// </summary>
internal sealed class MutualAidRaisedByHostConsumer(IssuerDbContext db, IssuerMessages messages, TimeProvider time) : IConsumer<MutualAidRaisedByHost>
{
    public async Task Consume(ConsumeContext<MutualAidRaisedByHost> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        if (!await db.Organisations.AnyAsync(o => o.OdsCode == m.HomeOdsCode, ct) || await db.Set<AidRequest>().AnyAsync(r => r.Id == m.RequestId, ct))
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var ids = m.StaffIds.Distinct().Take(RaiseAidRequest.MaxMembers).ToList();
        var numbers = m.AssignmentNumbers.Distinct(StringComparer.Ordinal).Take(RaiseAidRequest.MaxMembers).ToList();
        var byId = await db.Staff.AsNoTracking().Where(s => s.OdsCode == m.HomeOdsCode && ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        var byNumber = await db.Staff.AsNoTracking().Where(s => s.OdsCode == m.HomeOdsCode && numbers.Contains(s.AssignmentNumber))
            .Select(s => new { s.Id, s.AssignmentNumber }).ToListAsync(ct);
        var staffIds = byId.Concat(byNumber.Select(s => s.Id)).Distinct().Take(RaiseAidRequest.MaxMembers).ToList();
        if (staffIds.Count > 0)
        {
            var aid = new AidRequest
            {
                Id = m.RequestId, HomeOdsCode = m.HomeOdsCode, HostOdsCode = m.HostOdsCode, AgreementId = m.AgreementId, Role = m.Role, Start = m.Start, End = m.End,
                RaisedBy = m.RaisedBy.Length > 200 ? m.RaisedBy[..200] : m.RaisedBy, RaisedByOdsCode = m.HostOdsCode, RaisedAt = m.RaisedAt,
            };
            db.Add(aid);
            RaiseAidRequest.AskEach(db, aid, staffIds, now);
            var host = await db.Organisations.AsNoTracking().Where(o => o.OdsCode == m.HostOdsCode).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "Another organisation";
            await messages.ToHrAsync(db, m.HomeOdsCode, context.MessageId!.Value, org => messages.HostRaisedAid(org, host, staffIds.Count, m.Start, m.End, m.RequestId), now, ct);
        }
        db.AddOutboxMessage(new MutualAidHostRequestAnswered
        {
            RequestId = m.RequestId, HostOdsCode = m.HostOdsCode, HomeOdsCode = m.HomeOdsCode, Asked = staffIds.Count,
            UnknownAssignmentNumbers = [.. numbers.Except(byNumber.Select(s => s.AssignmentNumber), StringComparer.Ordinal)], UnknownStaff = ids.Count - byId.Count,
            AnsweredAt = now,
        }, now);
        await db.SaveChangesAsync(ct);
    }
}
