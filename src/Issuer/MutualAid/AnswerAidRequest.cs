using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.Issuer.Staff;
using Passport.Messaging;
using Passport.ServiceDefaults;

namespace Passport.Issuer.MutualAid;

public sealed record MyAidRequestResponse(
    Guid MemberId, Guid RequestId, string HostOdsCode, string Role, DateOnly Start, DateOnly End, string State, string? Reason, DateTimeOffset? AnsweredAt,
    string? AnswerMethod, string? WalletLink, DateTimeOffset? WalletLinkExpiresAt);

/// <summary>
/// A person consents to or declines a mutual-aid request: themselves (staff API, the staff pages, a link in a message), or
/// HR records what they said in person or by phone. Once, kept in the audit with who recorded it, when and how; consent is
/// what lets the host ask for their credentials, and a refusal means they are never deployed under the request.
/// </summary>
internal static class AnswerAidRequest
{
    public sealed record RecordAnswerBody(
        [AllowedValues("consent", "decline", ErrorMessage = "Say what the person answered: consent or decline.")] string? Answer,
        [AllowedValues(AidConsentMethods.InPerson, AidConsentMethods.Phone, ErrorMessage = "Say how the person told you: in_person or phone.")] string? Method,
        [MaxLength(500, ErrorMessage = "Keep the note to 500 characters.")] string? Note);

    public static async Task<Results<Ok<AidMemberResponse>, ValidationProblem, ProblemHttpResult>> RecordByHr(
        Guid id, Guid memberId, RecordAnswerBody body, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var request = await db.Set<AidRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.HomeOdsCode == ods, cancellationToken);
        var member = request is null ? null : await db.Set<AidMember>().FirstOrDefaultAsync(m => m.Id == memberId && m.RequestId == id, cancellationToken);
        if (request is null || member is null)
            return Problems.NotFound("aid_member_not_found", $"Your organisation's mutual-aid request {id} has nobody with member id {memberId}.");
        var how = body.Method == AidConsentMethods.Phone ? "by phone" : "in person";
        var note = string.IsNullOrWhiteSpace(body.Note) ? "" : $" Note: {body.Note.Trim()}";
        if (await ApplyAsync(db, request, member, body.Answer == "consent", body.Method!, user.Actor(), $"Told HR {how}.{note}", time.GetUtcNow(), cancellationToken) is { } problem)
            return problem;
        var view = await GetAidRequest.ViewAsync(db, ods, id, cancellationToken);
        return TypedResults.Ok(view!.Members.Single(m => m.MemberId == memberId));
    }

    public static async Task<Results<Ok<List<MyAidRequestResponse>>, ProblemHttpResult>> Mine(ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        return TypedResults.Ok(await MineAsync(db, staff.OdsCode, staff.Id, null, cancellationToken));
    }

    public static async Task<Results<Ok<MyAidRequestResponse>, ProblemHttpResult>> MineOne(Guid memberId, ClaimsPrincipal user, IssuerDbContext db, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        var mine = await MineAsync(db, staff.OdsCode, staff.Id, memberId, cancellationToken);
        return mine.Count == 0 ? NotYours(memberId) : TypedResults.Ok(mine[0]);
    }

    public static Task<Results<Ok<MyAidRequestResponse>, ProblemHttpResult>> Consent(
        Guid memberId, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerMineAsync(memberId, true, user, db, time, cancellationToken);

    public static Task<Results<Ok<MyAidRequestResponse>, ProblemHttpResult>> Decline(
        Guid memberId, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        AnswerMineAsync(memberId, false, user, db, time, cancellationToken);

    private static async Task<Results<Ok<MyAidRequestResponse>, ProblemHttpResult>> AnswerMineAsync(
        Guid memberId, bool consent, ClaimsPrincipal user, IssuerDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        var member = await db.Set<AidMember>().FirstOrDefaultAsync(m => m.Id == memberId && m.StaffId == staff.Id && m.HomeOdsCode == staff.OdsCode, cancellationToken);
        if (member is null)
            return NotYours(memberId);
        var request = await db.Set<AidRequest>().AsNoTracking().FirstAsync(r => r.Id == member.RequestId, cancellationToken);
        if (await ApplyAsync(db, request, member, consent, AidConsentMethods.Self, user.Actor(), "Answered in their passport.", time.GetUtcNow(), cancellationToken) is { } conflict)
            return conflict;
        return TypedResults.Ok((await MineAsync(db, staff.OdsCode, staff.Id, memberId, cancellationToken))[0]);
    }

    private static ProblemHttpResult NotYours(Guid memberId) =>
        Problems.NotFound("aid_member_not_found", $"You have no mutual-aid request {memberId}.");

    private static async Task<ProblemHttpResult?> ApplyAsync(
        IssuerDbContext db, AidRequest request, AidMember member, bool consent, string method, string actor, string detail, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (!member.TryAnswer(consent, method, actor, now, out var problem))
            return Problems.Conflict("aid_already_answered", problem!);
        db.Audit.Add(new AuditEntry
        {
            OdsCode = member.HomeOdsCode, StaffId = member.StaffId, Action = consent ? AidAudit.Consented : AidAudit.Declined, Actor = actor, At = now,
            Reason = $"{(consent ? "Consented to" : "Declined")} mutual aid at {request.HostOdsCode} as {request.Role}, {request.Start:d MMMM yyyy} to {request.End:d MMMM yyyy}. {detail}",
        });
        if (consent)
        {
            db.AddOutboxMessage(new MutualAidConsentGiven
            {
                RequestId = request.Id, MemberId = member.Id, HomeOdsCode = request.HomeOdsCode, HostOdsCode = request.HostOdsCode, StaffId = member.StaffId,
                AgreementId = request.AgreementId, Role = request.Role, Start = request.Start, End = request.End, ConsentedAt = now,
            }, now);
        }
        else
        {
            db.AddOutboxMessage(new MutualAidConsentDeclined
            {
                RequestId = request.Id, MemberId = member.Id, HomeOdsCode = request.HomeOdsCode, HostOdsCode = request.HostOdsCode, StaffId = member.StaffId,
                DeclinedAt = now,
            }, now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("aid_already_answered", "This request was answered at the same moment; reload it to see the answer kept.");
        }
    }

    private static async Task<List<MyAidRequestResponse>> MineAsync(IssuerDbContext db, string ods, Guid staffId, Guid? memberId, CancellationToken cancellationToken)
    {
        var rows = await (
            from m in db.Set<AidMember>().AsNoTracking()
            join r in db.Set<AidRequest>().AsNoTracking() on m.RequestId equals r.Id
            where m.HomeOdsCode == ods && m.StaffId == staffId && (memberId == null || m.Id == memberId)
            orderby m.Id descending
            select new { Member = m, Request = r }).Take(100).ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Member.Id).ToList();
        var deployed = (await db.Set<HomeDeployment>().AsNoTracking().Where(d => ids.Contains(d.Id) && d.State != DeploymentStates.Declined)
            .Select(d => d.Id).ToListAsync(cancellationToken)).ToHashSet();
        return rows.Select(x =>
        {
            var (state, reason) = GetAidRequest.StateOf(x.Member, deployed.Contains(x.Member.Id));
            return new MyAidRequestResponse(x.Member.Id, x.Request.Id, x.Request.HostOdsCode, x.Request.Role, x.Request.Start, x.Request.End, state, reason,
                x.Member.AnsweredAt, x.Member.AnswerMethod, x.Member.WalletLink, x.Member.WalletLinkExpiresAt);
        }).ToList();
    }
}
