using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;

namespace Passport.Verifier.Agreements;

/// <summary>
/// One change to an agreement: who made it, when, and the document before and after. Written in the same SaveChanges as the
/// version it records, so there is no change without its entry. Agreements decide whose credentials are trusted, so each
/// change must be answerable.
/// </summary>
public sealed class AgreementAuditEntry
{
    public const string Created = "created";
    public const string Updated = "updated";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid AgreementId { get; init; }
    public required int Version { get; init; }
    public required string Action { get; init; }
    public required string Actor { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The previous version's document as JSON; null when the agreement was created.</summary>
    public string? Before { get; init; }

    public required string After { get; init; }

    public static AgreementAuditEntry For(Agreement agreement, AgreementVersion version, AgreementVersion? previous) => new()
    {
        OdsCode = agreement.OdsCode, AgreementId = agreement.Id, Version = version.Version, Action = previous is null ? Created : Updated,
        Actor = version.CreatedBy, At = version.CreatedAt, Before = previous?.Document, After = version.Document,
    };

    public AgreementAuditResponse ToResponse() => new(
        Version, Action, Actor, At,
        Before is null ? null : JsonSerializer.Deserialize<AgreementDocument>(Before, AgreementJson.Options),
        JsonSerializer.Deserialize<AgreementDocument>(After, AgreementJson.Options)!);
}

/// <summary>A change to an agreement: the version it made, created or updated, by whom (the caller's <c>sub</c>), when, and the document before and after.</summary>
public sealed record AgreementAuditResponse(int Version, string Action, string Actor, DateTimeOffset At, AgreementDocument? Before, AgreementDocument After);

/// <summary>An agreement's changes, oldest first.</summary>
internal static class GetAgreementAudit
{
    public static async Task<Results<Ok<List<AgreementAuditResponse>>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Set<Agreement>().AnyAsync(a => a.Id == id && a.OdsCode == ods, cancellationToken))
            return AgreementProblems.NotFound(id);
        var entries = await db.Set<AgreementAuditEntry>().AsNoTracking()
            .Where(e => e.AgreementId == id && e.OdsCode == ods)
            .OrderBy(e => e.Version)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(entries.Select(e => e.ToResponse()).ToList());
    }
}

internal sealed class AgreementAuditConfiguration : IEntityTypeConfiguration<AgreementAuditEntry>
{
    public void Configure(EntityTypeBuilder<AgreementAuditEntry> builder)
    {
        builder.ToTable("agreement_audit");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.OdsCode).HasMaxLength(10);
        builder.Property(e => e.Action).HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.HasIndex(e => new { e.AgreementId, e.Version }).IsUnique();
        builder.HasOne<Agreement>().WithMany().HasForeignKey(e => e.AgreementId).OnDelete(DeleteBehavior.Restrict);
    }
}
