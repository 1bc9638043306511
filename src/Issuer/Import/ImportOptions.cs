using System.ComponentModel.DataAnnotations;

namespace Passport.Issuer.Import;

/// <summary>Bounds and pace of CSV imports (<c>Issuer:Import</c>).</summary>
public sealed class ImportOptions
{
    public const string Section = "Issuer:Import";

    /// <summary>The largest file accepted, in bytes; a larger upload is refused with 413.</summary>
    [Range(1024, 512 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 50 * 1024 * 1024;

    /// <summary>The most data rows (after the header) in one file.</summary>
    [Range(1, 2_000_000)]
    public int MaxRows { get; set; } = 200_000;

    /// <summary>Rows per transaction: each batch's staff records, credentials, outbox rows, audit entries and the job's progress commit together.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>How often an idle worker looks for queued jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a worker holds a job without renewing it; after that another instance may take it over (a crashed one never renews).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Row errors shown with the job's status; all of them are at <c>/api/imports/{id}/errors</c>.</summary>
    [Range(0, 1_000)]
    public int ErrorsInStatus { get; set; } = 50;
}
