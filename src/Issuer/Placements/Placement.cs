using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Issuer.Placements;

/// <summary>
/// A person the host issues a placement credential to who is not on its staff: someone another organisation employs,
/// identified by the decision the host made about them (their home organisation and staff id there), never a staff record here.
/// </summary>
public sealed class Visitor
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid HomeStaffId { get; init; }

    /// <summary>The person's names, when a source the host holds them in gave them (see <see cref="IVisitorNames"/>).</summary>
    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
}

public enum PlacementState
{
    /// <summary>The credential is issued and offered to the wallet that presented to the host.</summary>
    Offered = 0,

    /// <summary>Withdrawn: the deployment ended or was cancelled; <see cref="Placement.WithdrawnReason"/> says why in words.</summary>
    Withdrawn = 1,

    /// <summary>Not issued: the deployment's decision bound no wallet key, or the deployment was over before its start reached us.</summary>
    NotIssued = 2,
}

/// <summary>
/// The host's placement credential for one deployment ("licence to attend"): bound to the holder key the person proved in the
/// presentation the deployment was decided on, re-issued when the deployment is extended and withdrawn when it ends or is cancelled.
/// </summary>
public sealed class Placement
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string HostOdsCode { get; init; }
    public required Guid DeploymentId { get; init; }
    public required Guid VisitorId { get; init; }
    public required string HomeOdsCode { get; init; }
    public Guid? DecisionId { get; init; }
    public Guid? AgreementId { get; init; }
    public required string Department { get; init; }
    public required DateOnly Start { get; init; }
    public DateOnly End { get; private set; }

    /// <summary>The only key a wallet may prove to collect the credential (RFC 7638 thumbprint); null when the decision bound none.</summary>
    public string? HolderKeyThumbprint { get; init; }

    public PlacementState State { get; private set; }

    /// <summary>The credential now in force (the latest re-issue), and the offer that hands it over.</summary>
    public Guid? CredentialId { get; private set; }

    public Guid? OfferId { get; private set; }

    /// <summary>The offer's tx_code, encrypted with Data Protection, so the host's staffing team and the person can read it again.</summary>
    public string? ProtectedTxCode { get; private set; }

    public string? WithdrawnReason { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Bumped by every change: consumers of the same deployment's events racing on one placement cannot both win.</summary>
    public int Revision { get; private set; }

    public static Placement Create(PlacementDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var placement = new Placement
        {
            HostOdsCode = draft.HostOdsCode, DeploymentId = draft.DeploymentId, VisitorId = draft.VisitorId, HomeOdsCode = draft.HomeOdsCode,
            DecisionId = draft.DecisionId, AgreementId = draft.AgreementId, Department = draft.Department, Start = draft.Start,
            HolderKeyThumbprint = draft.HolderKeyThumbprint, CreatedAt = now,
        };
        placement.End = draft.End;
        placement.State = PlacementState.NotIssued;
        placement.Touch(now);
        return placement;
    }

    public void MarkNotIssued(string reason, DateTimeOffset now)
    {
        (State, WithdrawnReason) = (PlacementState.NotIssued, reason);
        Touch(now);
    }

    public void Offer(Guid credentialId, Guid offerId, string protectedTxCode, DateOnly end, DateTimeOffset now)
    {
        (State, CredentialId, OfferId, ProtectedTxCode, End) = (PlacementState.Offered, credentialId, offerId, protectedTxCode, end);
        Touch(now);
    }

    public void Withdraw(string reason, DateTimeOffset now)
    {
        (State, WithdrawnReason, WithdrawnAt, ProtectedTxCode) = (PlacementState.Withdrawn, reason, now, null);
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Revision++;
    }
}

/// <summary>What a placement is made from: the deployment's start event and the visitor it is for.</summary>
public sealed record PlacementDraft
{
    public required string HostOdsCode { get; init; }
    public required Guid DeploymentId { get; init; }
    public required Guid VisitorId { get; init; }
    public required string HomeOdsCode { get; init; }
    public Guid? DecisionId { get; init; }
    public Guid? AgreementId { get; init; }
    public required string Department { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public string? HolderKeyThumbprint { get; init; }
}

internal sealed class VisitorConfiguration : IEntityTypeConfiguration<Visitor>
{
    public void Configure(EntityTypeBuilder<Visitor> e)
    {
        e.ToTable("visitors");
        e.HasKey(x => x.Id);
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.GivenName).HasMaxLength(100);
        e.Property(x => x.FamilyName).HasMaxLength(100);
        // One visitor per person per host: a second deployment of the same person reuses it.
        e.HasIndex(x => new { x.HostOdsCode, x.HomeOdsCode, x.HomeStaffId }).IsUnique();
    }
}

internal sealed class PlacementConfiguration : IEntityTypeConfiguration<Placement>
{
    public void Configure(EntityTypeBuilder<Placement> e)
    {
        e.ToTable("placements");
        e.HasKey(x => x.Id);
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.Department).HasMaxLength(200);
        e.Property(x => x.HolderKeyThumbprint).HasMaxLength(64);
        e.Property(x => x.ProtectedTxCode).HasMaxLength(1000);
        e.Property(x => x.WithdrawnReason).HasMaxLength(500);
        e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.End);
        e.Property(x => x.Revision).IsConcurrencyToken();
        // One placement per deployment: a redelivered or repeated start issues nothing more.
        e.HasIndex(x => x.DeploymentId).IsUnique();
        e.HasIndex(x => new { x.HostOdsCode, x.State });
        e.HasIndex(x => x.VisitorId);
    }
}
