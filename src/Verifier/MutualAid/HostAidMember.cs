using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// One consenting member of staff of a mutual-aid request, as the host sees them: the presentation request put to them,
/// the decision on what they presented, and the deployment started from it. Its id is the home organisation's member id,
/// so a redelivered consent is the same row, and the deployment takes the same id, so it starts once.
/// </summary>
public sealed class HostAidMember
{
    public required Guid Id { get; init; }
    public required Guid RequestId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required DateTimeOffset ConsentedAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public Guid? PresentationRequestId { get; private set; }
    public Guid? DecisionId { get; private set; }
    public bool? Accepted { get; private set; }

    /// <summary>Why the member could not be decided on a presentation, as a code (see <see cref="AidRefusals"/>).</summary>
    public string? Refusal { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }
    public Guid? DeploymentId { get; private set; }

    /// <summary>Why start-all could not start this member's deployment, in words.</summary>
    public string? StartProblem { get; private set; }

    /// <summary>Bumped by every change, so two instances deciding or starting the same member cannot both win.</summary>
    public int Revision { get; private set; }

    public bool IsDecided => DecidedAt is not null;

    public void Ask(Guid presentationRequestId)
    {
        PresentationRequestId = presentationRequestId;
        Revision++;
    }

    public bool TryDecide(Guid? decisionId, bool accepted, string? refusal, DateTimeOffset now)
    {
        if (IsDecided)
            return false;
        (DecisionId, Accepted, Refusal, DecidedAt) = (decisionId, accepted, refusal, now);
        Revision++;
        return true;
    }

    public void Deployed(Guid deploymentId)
    {
        DeploymentId = deploymentId;
        Revision++;
    }

    public void CannotStart(string problem)
    {
        StartProblem = problem.Length > 500 ? problem[..500] : problem;
        Revision++;
    }
}

public static class AidRefusals
{
    public const string NotTheMember = "not_the_member";
    public const string AgreementNotFound = "agreement_not_found";
    public const string OutsideAgreementTerms = "outside_agreement_terms";

    public static string Words(string refusal) => refusal switch
    {
        NotTheMember => "The credentials presented were another person's.",
        AgreementNotFound => "The agreement named in the request is not one of the host's.",
        OutsideAgreementTerms => "The role or dates asked for are outside the agreement's terms.",
        _ => "No presentation could be decided.",
    };
}

/// <summary>The host's "start every accepted deployment" for one request: recorded first, so it finishes after a crash or restart.</summary>
public sealed class AidStart
{
    public required Guid RequestId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HostSite { get; set; }
    public required string RequestedBy { get; set; }
    public required DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

internal sealed class HostAidMemberConfiguration : IEntityTypeConfiguration<HostAidMember>
{
    public void Configure(EntityTypeBuilder<HostAidMember> e)
    {
        e.ToTable("hosted_aid_members");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.Refusal).HasMaxLength(40);
        e.Property(x => x.StartProblem).HasMaxLength(500);
        e.Property(x => x.Revision).IsConcurrencyToken();
        e.Ignore(x => x.IsDecided);
        e.HasIndex(x => new { x.HostOdsCode, x.RequestId });
        e.HasIndex(x => x.PresentationRequestId).IsUnique();
    }
}

internal sealed class AidStartConfiguration : IEntityTypeConfiguration<AidStart>
{
    public void Configure(EntityTypeBuilder<AidStart> e)
    {
        e.ToTable("hosted_aid_starts");
        e.HasKey(x => x.RequestId);
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HostSite).HasMaxLength(200);
        e.Property(x => x.RequestedBy).HasMaxLength(200);
        e.HasIndex(x => x.CompletedAt);
    }
}
