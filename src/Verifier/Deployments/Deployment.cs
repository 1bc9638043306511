using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Passport.Verifier.Agreements;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Deployments;

public enum DeploymentState
{
    AwaitingApproval = 0,
    Active = 1,
    Declined = 2,
    Ended = 3,
}

/// <summary>A credential the decision behind a deployment relied on, found again by its place in the issuer's status list.</summary>
public sealed class DeploymentCredential
{
    public required string StatusListUri { get; init; }
    public required long StatusIndex { get; init; }
    public required string Vct { get; init; }

    /// <summary>When the credential expires, as verified; null for deployments recorded before this was kept.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The credentials a decision was judged on that a status list can withdraw, each once: what a deployment from it relies on.</summary>
    public static List<DeploymentCredential> ReliedOn(IEnumerable<CredentialReference> judged) =>
    [
        .. judged.Where(c => c.StatusListUri is not null && c.StatusIndex is not null).DistinctBy(c => (c.StatusListUri, c.StatusIndex))
            .Select(c => new DeploymentCredential { StatusListUri = c.StatusListUri!, StatusIndex = c.StatusIndex!.Value, Vct = c.Vct, ExpiresAt = c.ExpiresAt }),
    ];

    /// <summary>The last whole day the credential is valid (a credential expiring during a day does not cover it).</summary>
    public DateOnly? LastDayCovered() => ExpiresAt is { } expires ? DateOnly.FromDateTime(expires.UtcDateTime).AddDays(-1) : null;
}

/// <summary>Something the host must look at: a credential the deployment relied on was withdrawn or suspended.</summary>
public sealed class DeploymentFlag
{
    public required Guid CredentialId { get; init; }

    /// <summary><c>credential_revoked</c> or <c>credential_suspended</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The issuer's reason code (issued_in_error, update_pending, no_longer_valid).</summary>
    public required string Reason { get; init; }

    public required string StatusListUri { get; init; }
    public required long StatusIndex { get; init; }
    public required DateTimeOffset FlaggedAt { get; init; }
}

/// <summary>
/// A member of another organisation's staff working at the host under an agreement, from an accepted decision. It keeps
/// the agreement's limits as they were when it started, so extending it never depends on the agreement being edited later.
/// </summary>
public sealed class Deployment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public required int AgreementVersion { get; init; }
    public required Guid DecisionId { get; init; }
    public required string HostSite { get; init; }

    /// <summary>The person's names from the decision, kept here because decisions are purged long before deployments end.</summary>
    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    /// <summary>The decision's holder key thumbprint, kept for the placement credential after the decision is purged.</summary>
    public string? HolderKeyThumbprint { get; init; }

    public required DateOnly Start { get; init; }
    public DateOnly End { get; private set; }
    public required int MaxDeploymentDays { get; init; }
    public required DateOnly AgreementEndsOn { get; init; }
    public required bool HomeApprovalRequired { get; init; }
    public DeploymentState State { get; private set; }
    public string? DeclineReason { get; private set; }
    public DateOnly? EndedOn { get; private set; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Bumped by every change, so two changes racing on one deployment cannot both win.</summary>
    public int Revision { get; private set; }

    public List<DeploymentCredential> Credentials { get; init; } = [];
    public List<DeploymentFlag> Flags { get; init; } = [];

    public static Deployment Request(DeploymentDraft draft, DateOnly end, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var deployment = new Deployment
        {
            Id = draft.Id ?? Guid.CreateVersion7(),
            HostOdsCode = draft.HostOdsCode, HomeOdsCode = draft.HomeOdsCode, StaffId = draft.StaffId, AgreementId = draft.AgreementId,
            AgreementVersion = draft.AgreementVersion, DecisionId = draft.DecisionId, HostSite = draft.HostSite, Start = draft.Start,
            GivenName = draft.GivenName, FamilyName = draft.FamilyName, HolderKeyThumbprint = draft.HolderKeyThumbprint,
            MaxDeploymentDays = draft.MaxDeploymentDays, AgreementEndsOn = draft.AgreementEndsOn, HomeApprovalRequired = draft.HomeApprovalRequired,
            CreatedBy = draft.CreatedBy, CreatedAt = now, Credentials = [.. draft.Credentials],
        };
        deployment.End = end;
        deployment.State = draft.HomeApprovalRequired ? DeploymentState.AwaitingApproval : DeploymentState.Active;
        deployment.UpdatedAt = now;
        return deployment;
    }

    /// <summary>The latest last day this deployment may have, by the agreement's terms as they were when it started.</summary>
    public DateOnly LatestEnd => AgreementTerms.LatestEnd(Start, MaxDeploymentDays, AgreementEndsOn);

    /// <summary>Why it cannot end after <see cref="LatestEnd"/>.</summary>
    public string BeyondLatestEnd => AgreementTerms.BeyondLatestEnd(Start, MaxDeploymentDays, AgreementEndsOn);

    public bool IsFlagged => Flags.Count > 0;

    public bool TryApprove(DateTimeOffset now, out string? problem)
    {
        if (State != DeploymentState.AwaitingApproval)
        {
            problem = $"Only a deployment awaiting approval can be approved; this one is {State}.";
            return false;
        }
        Change(DeploymentState.Active, now);
        problem = null;
        return true;
    }

    public bool TryDecline(string reason, DateTimeOffset now, out string? problem)
    {
        if (State != DeploymentState.AwaitingApproval)
        {
            problem = $"Only a deployment awaiting approval can be declined; this one is {State}.";
            return false;
        }
        DeclineReason = reason;
        Change(DeploymentState.Declined, now);
        problem = null;
        return true;
    }

    public bool TryExtend(DateOnly newEnd, DateTimeOffset now, out string? problem)
    {
        problem = State != DeploymentState.Active
            ? $"Only an active deployment can be extended; this one is {State}."
            : newEnd <= End
                ? $"The new last day must be after the current one ({End:yyyy-MM-dd})."
                : newEnd > LatestEnd
                    ? BeyondLatestEnd
                    : null;
        if (problem is not null)
            return false;
        End = newEnd;
        Change(State, now);
        return true;
    }

    public bool TryEnd(DateOnly today, DateTimeOffset now, out string? problem)
    {
        if (State is not (DeploymentState.Active or DeploymentState.AwaitingApproval))
        {
            problem = $"Only an active or requested deployment can be ended; this one is {State}.";
            return false;
        }
        EndedOn = today < End ? today : End;
        Change(DeploymentState.Ended, now);
        problem = null;
        return true;
    }

    /// <summary>False when this credential change is already flagged (a redelivered event from another route).</summary>
    public bool TryFlag(DeploymentFlag flag, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(flag);
        if (State is not (DeploymentState.Active or DeploymentState.AwaitingApproval)
            || Flags.Any(f => f.CredentialId == flag.CredentialId && f.Kind == flag.Kind))
            return false;
        Flags.Add(flag);
        Change(State, now);
        return true;
    }

    private void Change(DeploymentState state, DateTimeOffset now)
    {
        State = state;
        UpdatedAt = now;
        Revision++;
    }
}

/// <summary>What a new deployment is made from: the decision, the agreement's limits and the host's request.</summary>
public sealed record DeploymentDraft
{
    /// <summary>Set when the id must be known in advance (a mutual-aid member's deployment takes the member's id, so it starts once).</summary>
    public Guid? Id { get; init; }

    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid AgreementId { get; init; }
    public required int AgreementVersion { get; init; }
    public required Guid DecisionId { get; init; }
    public required string HostSite { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? HolderKeyThumbprint { get; init; }
    public required DateOnly Start { get; init; }
    public required int MaxDeploymentDays { get; init; }
    public required DateOnly AgreementEndsOn { get; init; }
    public required bool HomeApprovalRequired { get; init; }
    public required string CreatedBy { get; init; }
    public IReadOnlyList<DeploymentCredential> Credentials { get; init; } = [];
}

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> e)
    {
        e.ToTable("deployments");
        e.HasKey(x => x.Id);
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.HostSite).HasMaxLength(200);
        e.Property(x => x.GivenName).HasMaxLength(PersonName.MaxLength);
        e.Property(x => x.FamilyName).HasMaxLength(PersonName.MaxLength);
        e.Property(x => x.HolderKeyThumbprint).HasMaxLength(64);
        e.Property(x => x.CreatedBy).HasMaxLength(200);
        e.Property(x => x.DeclineReason).HasMaxLength(500);
        e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.End);
        e.Property(x => x.Revision).IsConcurrencyToken();
        e.Ignore(x => x.IsFlagged);
        e.Ignore(x => x.LatestEnd);
        e.Ignore(x => x.BeyondLatestEnd);
        // One deployment per decision: a second request for the same decision is a 409, not a duplicate.
        e.HasIndex(x => x.DecisionId).IsUnique();
        e.HasIndex(x => new { x.HostOdsCode, x.State });
        e.OwnsMany(x => x.Credentials, c =>
        {
            c.ToTable("deployment_credentials");
            c.WithOwner().HasForeignKey("DeploymentId");
            c.Property<int>("Id");
            c.HasKey("Id");
            c.Property(x => x.StatusListUri).HasMaxLength(500);
            c.Property(x => x.Vct).HasMaxLength(300);
            // Revocation events find deployments by the credential's place in its status list.
            c.HasIndex(x => new { x.StatusListUri, x.StatusIndex });
        });
        e.OwnsMany(x => x.Flags, f =>
        {
            f.ToTable("deployment_flags");
            f.WithOwner().HasForeignKey("DeploymentId");
            f.Property<int>("Id");
            f.HasKey("Id");
            f.Property(x => x.Kind).HasMaxLength(40);
            f.Property(x => x.Reason).HasMaxLength(100);
            f.Property(x => x.StatusListUri).HasMaxLength(500);
        });
    }
}
