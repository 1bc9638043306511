using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Issuer.MutualAid;

/// <summary>A home organisation asks a host for named members of its staff under one of the host's agreements, for a role and dates.</summary>
public sealed class AidRequest
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid AgreementId { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required string RaisedBy { get; init; }

    /// <summary>The host, when the host raised the request itself under an agreement that allows it; null when the home organisation's HR raised it.</summary>
    public string? RaisedByOdsCode { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }
}

public enum AidConsent
{
    Pending = 0,
    Given = 1,
    Declined = 2,
}

/// <summary>How a consent or a refusal was given: by the person themselves, or told to HR in person or by phone.</summary>
public static class AidConsentMethods
{
    public const string Self = "self";
    public const string InPerson = "in_person";
    public const string Phone = "phone";

    public static readonly IReadOnlyList<string> RecordedByHr = [InPerson, Phone];
}

/// <summary>
/// One named member of staff on a request: asked to consent, their answer (who recorded it, when, how), the host's
/// decision on what they presented and the wallet link to present with. Nobody is asked to present before consenting.
/// </summary>
public sealed class AidMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required Guid RequestId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public AidConsent Consent { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? AnswerMethod { get; private set; }
    public string? AnswerRecordedBy { get; private set; }

    public Guid? PresentationRequestId { get; private set; }
    public string? WalletLink { get; private set; }
    public DateTimeOffset? WalletLinkExpiresAt { get; private set; }

    public Guid? DecisionId { get; private set; }
    public bool? Accepted { get; private set; }

    /// <summary>The requirement ids the host found not met, comma-separated.</summary>
    public string? UnmetRequirements { get; private set; }

    public string? Refusal { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>Bumped by every change, so a consent and a refusal racing cannot both be kept.</summary>
    public int Revision { get; private set; }

    public bool TryAnswer(bool consent, string method, string recordedBy, DateTimeOffset now, out string? problem)
    {
        if (Consent != AidConsent.Pending)
        {
            problem = Consent == AidConsent.Given ? "Consent has already been given for this request." : "This request has already been declined.";
            return false;
        }
        (Consent, AnsweredAt, AnswerMethod, AnswerRecordedBy) = (consent ? AidConsent.Given : AidConsent.Declined, now, method, recordedBy);
        Revision++;
        problem = null;
        return true;
    }

    public void Asked(Guid presentationRequestId, string walletLink, DateTimeOffset expiresAt)
    {
        if (DecidedAt is not null)
            return;
        (PresentationRequestId, WalletLink, WalletLinkExpiresAt) = (presentationRequestId, walletLink, expiresAt);
        Revision++;
    }

    public bool TryDecide(Guid decisionId, bool accepted, IEnumerable<string> unmet, string? refusal, DateTimeOffset at)
    {
        if (DecidedAt is not null)
            return false;
        (DecisionId, Accepted, Refusal, DecidedAt) = (decisionId == Guid.Empty ? null : decisionId, accepted, refusal, at);
        var joined = string.Join(",", unmet);
        UnmetRequirements = joined.Length == 0 ? null : joined.Length > 500 ? joined[..500] : joined;
        (WalletLink, WalletLinkExpiresAt) = (null, null);
        Revision++;
        return true;
    }
}

internal sealed class AidRequestConfiguration : IEntityTypeConfiguration<AidRequest>
{
    public void Configure(EntityTypeBuilder<AidRequest> e)
    {
        e.ToTable("mutual_aid_requests");
        e.HasKey(x => x.Id);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.RaisedBy).HasMaxLength(200);
        e.Property(x => x.RaisedByOdsCode).HasMaxLength(10);
        e.HasIndex(x => x.HomeOdsCode);
    }
}

internal sealed class AidMemberConfiguration : IEntityTypeConfiguration<AidMember>
{
    public void Configure(EntityTypeBuilder<AidMember> e)
    {
        e.ToTable("mutual_aid_members");
        e.HasKey(x => x.Id);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.Consent).HasConversion<string>().HasMaxLength(20);
        e.Property(x => x.AnswerMethod).HasMaxLength(20);
        e.Property(x => x.AnswerRecordedBy).HasMaxLength(200);
        e.Property(x => x.WalletLink).HasMaxLength(2000);
        e.Property(x => x.UnmetRequirements).HasMaxLength(500);
        e.Property(x => x.Refusal).HasMaxLength(40);
        e.Property(x => x.Revision).IsConcurrencyToken();
        // A person is on a request once.
        e.HasIndex(x => new { x.RequestId, x.StaffId }).IsUnique();
        e.HasIndex(x => new { x.HomeOdsCode, x.StaffId });
    }
}
