using System.ComponentModel.DataAnnotations;
using Passport.Contracts;
using Passport.Messaging;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Presentations;

namespace Passport.Verifier.MutualAid;

/// <summary>Mutual aid at the host (<c>Verifier:MutualAid</c>).</summary>
public sealed class MutualAidOptions
{
    public const string Section = "Verifier:MutualAid";

    /// <summary>How long a member has to answer the presentation request put to them; people consent and present over days, not minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan PresentationLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How many deployments start-all starts per transaction.</summary>
    [Range(1, 1000)]
    public int StartBatchSize { get; set; } = 100;

    /// <summary>A pause between start-all's batches, to spread a large start over time on a shared database.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan StartBatchPause { get; set; } = TimeSpan.Zero;

    /// <summary>How often the host looks for a start-all that did not finish (after a crash or restart).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ResumeInterval { get; set; } = TimeSpan.FromSeconds(30);
}

internal static class AidPresentations
{
    /// <summary>Puts a fresh presentation request to the member and tells the home organisation its wallet link; commits with the caller's SaveChanges.</summary>
    public static async Task<PresentationRequest> AskAsync(
        VerifierDbContext db, RequestObjectSigner signer, VerifierOptions options, MutualAidOptions aid, HostAidMember member, LoadedAgreement agreement,
        RoleRules role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var request = await CreatePresentationRequest.NewAsync(db, signer, options, agreement, role, member.Start, member.End, null,
            $"mutual-aid:{member.RequestId}", now, aid.PresentationLifetime, cancellationToken);
        member.Ask(request.Id);
        db.AddOutboxMessage(new MutualAidPresentationRequested
        {
            RequestId = member.RequestId, MemberId = member.Id, HomeOdsCode = member.HomeOdsCode, HostOdsCode = member.HostOdsCode,
            StaffId = member.StaffId, PresentationRequestId = request.Id,
            WalletLink = new PresentationLinks(options, request.OdsCode, request.Id).DeepLink(request.ClientId), ExpiresAt = request.ExpiresAt,
        }, now);
        return request;
    }

    /// <summary>Decides the member without a presentation (the request cannot be asked under the agreement) and tells the home organisation.</summary>
    public static void Refuse(VerifierDbContext db, HostAidMember member, string refusal, DateTimeOffset now)
    {
        if (!member.TryDecide(null, false, refusal, now))
            return;
        db.AddOutboxMessage(Decided(member, Guid.Empty, [], now), now);
    }

    public static MutualAidMemberDecided Decided(HostAidMember member, Guid decisionId, IReadOnlyList<string> unmet, DateTimeOffset now) => new()
    {
        RequestId = member.RequestId, MemberId = member.Id, HomeOdsCode = member.HomeOdsCode, HostOdsCode = member.HostOdsCode, StaffId = member.StaffId,
        DecisionId = decisionId, Accepted = member.Accepted == true, DecidedAt = now, UnmetRequirements = unmet, Refusal = member.Refusal,
    };
}
