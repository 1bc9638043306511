using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Issuer.Import;

public enum ImportState
{
    Queued = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
}

/// <summary>
/// A CSV import running in the background. The file is kept while the job runs so a restart resumes where it stopped: rows
/// are processed in a fixed order, and <see cref="ProcessedRows"/> and the counters commit in the same transaction as each
/// batch's effects. When the job ends the file's content is dropped (it holds names, dates of birth, DBS numbers); the
/// counters and <see cref="RowErrors"/> stay until the retention purge deletes the job.
/// A worker holds the job by a lease (<see cref="LeaseOwner"/> until <see cref="LeaseExpiresAt"/>), renewed with every batch.
/// </summary>
public sealed class ImportJob
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required string FileName { get; init; }
    /// <summary>The uploaded file, until the job ends; then null.</summary>
    public string? Content { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public ImportState State { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }

    /// <summary>Credentials issued by this import.</summary>
    public int Issued { get; set; }

    /// <summary>Rows that changed nothing: a credential already issued under the row's source reference, or a staff row matching the record.</summary>
    public int Unchanged { get; set; }

    public int StaffCreated { get; set; }
    public int StaffUpdated { get; set; }

    /// <summary>Rows with at least one error in <see cref="RowErrors"/>.</summary>
    public int Failed { get; set; }

    [MaxLength(64)]
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>Why the job as a whole stopped, when it failed (never an exception's message).</summary>
    [MaxLength(500)]
    public string? FailureReason { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public List<ImportRowError> RowErrors { get; init; } = [];
}

/// <summary>What is wrong with one field of one row of an import: the file's line, the CSV column, and what to fix.</summary>
[EntityTypeConfiguration(typeof(ImportRowErrorConfiguration))]
public sealed class ImportRowError
{
    public long Id { get; init; }
    public Guid ImportJobId { get; init; }
    public required int Line { get; init; }
    public required string Field { get; init; }
    public required string Reason { get; init; }
}

internal sealed class ImportRowErrorConfiguration : IEntityTypeConfiguration<ImportRowError>
{
    public void Configure(EntityTypeBuilder<ImportRowError> builder)
    {
        builder.ToTable("import_row_errors");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Field).HasMaxLength(100);
        builder.Property(x => x.Reason).HasMaxLength(1000);
        builder.HasIndex(x => new { x.ImportJobId, x.Line });
    }
}
