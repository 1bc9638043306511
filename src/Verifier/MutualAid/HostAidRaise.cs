using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Verifier.MutualAid;

/// <summary>
/// A mutual-aid request the host raised itself, under an agreement that allows it: who raised it and when (the audit of
/// it), whom it named, and what the home organisation answered. Its id is the request's id at the home organisation, so
/// the people who consent arrive as <see cref="HostAidMember"/>s of the same request.
/// </summary>
public sealed class HostAidRaise
{
    public required Guid RequestId { get; init; }
    public required string HostOdsCode { get; init; }
    public required string HomeOdsCode { get; init; }
    public required Guid AgreementId { get; init; }
    public required int AgreementVersion { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required string RaisedBy { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>How many people the host named (staff ids and assignment numbers together).</summary>
    public required int Named { get; init; }

    public DateTimeOffset? AnsweredAt { get; private set; }
    public int? Asked { get; private set; }

    /// <summary>The assignment numbers the home organisation could not find, comma-separated and cut at 500 characters.</summary>
    public string? NotFound { get; private set; }

    public int NotFoundCount { get; private set; }

    public bool TryAnswer(int asked, IReadOnlyList<string> unknownNumbers, int unknownStaff, DateTimeOffset at)
    {
        if (AnsweredAt is not null)
            return false;
        (AnsweredAt, Asked, NotFoundCount) = (at, asked, unknownNumbers.Count + unknownStaff);
        var joined = string.Join(",", unknownNumbers);
        NotFound = joined.Length == 0 ? null : joined.Length > 500 ? joined[..500] : joined;
        return true;
    }
}

internal sealed class HostAidRaiseConfiguration : IEntityTypeConfiguration<HostAidRaise>
{
    public void Configure(EntityTypeBuilder<HostAidRaise> e)
    {
        e.ToTable("hosted_aid_raises");
        e.HasKey(x => x.RequestId);
        e.Property(x => x.RequestId).ValueGeneratedNever();
        e.Property(x => x.HostOdsCode).HasMaxLength(10);
        e.Property(x => x.HomeOdsCode).HasMaxLength(10);
        e.Property(x => x.Role).HasMaxLength(64);
        e.Property(x => x.RaisedBy).HasMaxLength(200);
        e.Property(x => x.NotFound).HasMaxLength(500);
        e.HasIndex(x => new { x.HostOdsCode, x.RaisedAt });
    }
}
