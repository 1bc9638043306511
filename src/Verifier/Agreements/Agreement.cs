using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Verifier.Agreements;

/// <summary>A receiving organisation's workforce sharing agreement. Its content lives in immutable versions; decisions name the version they used.</summary>
public sealed class Agreement
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The receiving organisation that recorded it and uses it to verify.</summary>
    public required string OdsCode { get; init; }

    public required string Title { get; set; }
    public int CurrentVersion { get; private set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The next version of this agreement; the unique (agreement, version) key refuses a concurrent second one.</summary>
    public AgreementVersion AddVersion(AgreementDocument document, string title, string createdBy, DateTimeOffset now)
    {
        CurrentVersion++;
        Title = title;
        UpdatedAt = now;
        return new AgreementVersion
        {
            AgreementId = Id, Version = CurrentVersion, Document = JsonSerializer.Serialize(document, AgreementJson.Options),
            CreatedAt = now, CreatedBy = createdBy,
        };
    }
}

public sealed class AgreementVersion
{
    public required Guid AgreementId { get; init; }
    public required int Version { get; init; }

    /// <summary>The agreement document as JSON, exactly as validated.</summary>
    public required string Document { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    public AgreementDocument ReadDocument() =>
        JsonSerializer.Deserialize<AgreementDocument>(Document, AgreementJson.Options)
        ?? throw new InvalidOperationException($"Agreement {AgreementId} version {Version} has no document.");
}

internal static class AgreementJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}

internal sealed class AgreementConfiguration : IEntityTypeConfiguration<Agreement>
{
    public void Configure(EntityTypeBuilder<Agreement> builder)
    {
        builder.ToTable("agreements");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.OdsCode).HasMaxLength(10);
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.HasIndex(a => a.OdsCode);
    }
}

internal sealed class AgreementVersionConfiguration : IEntityTypeConfiguration<AgreementVersion>
{
    public void Configure(EntityTypeBuilder<AgreementVersion> builder)
    {
        builder.ToTable("agreement_versions");
        builder.HasKey(v => new { v.AgreementId, v.Version });
        builder.Property(v => v.CreatedBy).HasMaxLength(200);
        builder.HasOne<Agreement>().WithMany().HasForeignKey(v => v.AgreementId).OnDelete(DeleteBehavior.Restrict);
    }
}
