using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;

namespace Passport.Web.Pages.Import;

/// <summary>An import's progress (refreshing by itself with the script, or by reloading without it), then its row errors.</summary>
public sealed class ImportModel(IssuerApi issuer) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public ImportJob? Job { get; private set; }

    public IReadOnlyList<RowError> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Job = (await issuer.ImportAsync(Id, cancellationToken)).Value;
        if (Job is null)
            return NotFound();
        if (Job.State is "completed" or "failed" && Job.Failed > 0)
            Errors = await AllErrorsAsync(issuer, Id, cancellationToken);
        return Page();
    }

    public static async Task<IReadOnlyList<RowError>> AllErrorsAsync(IssuerApi issuer, Guid id, CancellationToken cancellationToken)
    {
        var errors = new List<RowError>();
        for (var page = 1; page <= 50; page++)
        {
            var result = (await issuer.ImportErrorsAsync(id, page, cancellationToken)).Value;
            if (result is null)
                break;
            errors.AddRange(result.Items);
            if (page >= result.Pages)
                break;
        }
        return errors;
    }
}

public sealed class ImportProgressModel(IssuerApi issuer) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public ImportJob? Job { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Job = (await issuer.ImportAsync(Id, cancellationToken)).Value;
        return Job is null ? NotFound() : Page();
    }
}

public sealed class ImportErrorsCsvModel(IssuerApi issuer) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var errors = await ImportModel.AllErrorsAsync(issuer, Id, cancellationToken);
        var csv = new StringBuilder("line,field,problem\n");
        foreach (var e in errors)
            csv.Append(e.Line).Append(',').Append(Quote(e.Field)).Append(',').Append(Quote(e.Reason)).Append('\n');
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", "import-problems.csv");
    }

    // A leading = + - @ would make a spreadsheet run the cell as a formula.
    private static string Quote(string value)
    {
        var safe = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
