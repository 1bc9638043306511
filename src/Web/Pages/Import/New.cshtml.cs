using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Import;

public sealed class NewImportModel(IssuerApi issuer) : FormPage
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            AddError("file", "Select a CSV file");
            return Page();
        }
        if (!string.Equals(Path.GetExtension(file.FileName), ".csv", StringComparison.OrdinalIgnoreCase))
        {
            AddError("file", "The selected file must be a CSV");
            return Page();
        }
        if (file.Length == 0)
        {
            AddError("file", "The selected file is empty");
            return Page();
        }
        if (file.Length > 1024 * 1024)
        {
            AddError("file", "The file must be smaller than 1 MB");
            return Page();
        }
        await using var stream = file.OpenReadStream();
        var result = await issuer.StartImportAsync(Path.GetFileName(file.FileName), stream, cancellationToken);
        if (result.Problem is { } problem)
        {
            var first = problem.Errors.Values.SelectMany(m => m).FirstOrDefault();
            AddError("file", first is not null ? $"The file cannot be imported: {first.TrimEnd('.')}" : problem.Detail is { } d ? Plain(d).TrimEnd('.') : "The file could not be imported");
            return Page();
        }
        return Redirect($"/imports/{result.Value!.Id}");
    }
}
