using Passport.Web.Api;

namespace Passport.Web.Pages.MutualAid;

/// <summary>The agreement's terms a mutual-aid request's dates must keep to, as the Verifier lists them.</summary>
internal sealed record AidTerms(DateOnly StartsOn, DateOnly EndsOn, int MaxDeploymentDays);

/// <summary>
/// What the two forms that ask for mutual aid share, the home organisation's (HR asks its staff) and the host's (it asks a
/// home organisation): the agreement chosen, the dates within its terms, the CSV file of assignment numbers, and the API's
/// field errors put on the form.
/// </summary>
internal static class AidForm
{
    private const int MaxFileBytes = 1024 * 1024;

    /// <summary>The agreement asked for, or the only one there is.</summary>
    public static T? Choose<T>(IReadOnlyList<T> agreements, Guid? asked, Func<T, Guid> id) where T : class
    {
        var chosen = asked ?? (agreements.Count == 1 ? id(agreements[0]) : null);
        return agreements.FirstOrDefault(a => id(a) == chosen);
    }

    public static IReadOnlyList<Choice> Roles(IEnumerable<string> roles) => [.. roles.Select(r => new Choice(r, Words.Sentence(r)))];

    /// <summary>The dates the form starts with: from tomorrow (or the agreement's first day) for two weeks, or as long as the agreement allows.</summary>
    public static (DateInput Start, DateInput End) FirstDates(AidTerms terms, TimeProvider time)
    {
        var today = Words.Today(time);
        var first = today < terms.StartsOn ? terms.StartsOn : today.AddDays(1);
        return (DateInput.Of(first), DateInput.Of(first.AddDays(Math.Min(13, terms.MaxDeploymentDays - 1))));
    }

    /// <summary>The first and last day, each null after its error is on the page; a pair outside the terms is kept and its error put on the page.</summary>
    public static (DateOnly? Start, DateOnly? End) ReadDates(FormPage page, DateInput start, DateInput end, AidTerms terms, TimeProvider time)
    {
        var first = start.Read(page, "start", "the first day");
        var last = end.Read(page, "end", "the last day");
        if (first is not { } s || last is not { } e)
            return (first, last);
        var days = e.DayNumber - s.DayNumber + 1;
        if (e < s)
            page.AddError("end-day", "The last day must be the same as or after the first day");
        else if (s < terms.StartsOn || e > terms.EndsOn)
            page.AddError("start-day", $"The dates must be within the agreement, {Words.Date(terms.StartsOn)} to {Words.Date(terms.EndsOn)}");
        else if (days > terms.MaxDeploymentDays)
            page.AddError("end-day", $"The agreement allows at most {terms.MaxDeploymentDays} days; these dates are {days} days");
        else if (e < Words.Today(time))
            page.AddError("end-day", "The last day must be today or in the future");
        return (first, last);
    }

    /// <summary>The uploaded file's text, or null when there is none or after its error is on the page (field <c>file</c>).</summary>
    public static async Task<string?> ReadCsvAsync(FormPage page, IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
            return null;
        if (!string.Equals(Path.GetExtension(file.FileName), ".csv", StringComparison.OrdinalIgnoreCase))
            page.AddError("file", "The selected file must be a CSV");
        else if (file.Length == 0)
            page.AddError("file", "The selected file is empty");
        else if (file.Length > MaxFileBytes)
            page.AddError("file", "The file must be smaller than 1 MB");
        else
        {
            using var reader = new StreamReader(file.OpenReadStream());
            return await reader.ReadToEndAsync(cancellationToken);
        }
        return null;
    }

    /// <summary>The API's refusal of the request on the form's fields; what it says of the CSV file is said to be about the file.</summary>
    public static void AddRaiseProblem(FormPage page, ApiProblem problem, IReadOnlyDictionary<string, string> fields) =>
        page.AddProblem(problem, "staff", fields, static (name, message) => name == "csv" ? $"The file cannot be used: {message.TrimEnd('.')}" : message.TrimEnd('.'));
}
