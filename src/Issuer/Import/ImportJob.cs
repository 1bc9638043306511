namespace Passport.Issuer.Import;

public enum ImportState
{
    Queued = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
}

/// <summary>A CSV import running in the background. The file is kept so a restart resumes where it stopped.</summary>
public sealed class ImportJob
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required string FileName { get; init; }
    public required string Content { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public ImportState State { get; set; }
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int Issued { get; set; }
    public int Unchanged { get; set; }
    public int Failed { get; set; }

    /// <summary>Row errors as JSON: [{ line, field, reason }].</summary>
    public string Errors { get; set; } = "[]";
    public DateTimeOffset? CompletedAt { get; set; }
}
