using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;

namespace Passport.Web.Pages;

/// <summary>
/// A page with a form: its errors in the order of the fields, each keyed by the id of the field it belongs to, for the
/// error summary (linking to the field) and the message on the field itself.
/// </summary>
public abstract class FormPage : PageModel
{
    private readonly List<(string Field, string Message)> _errors = [];

    public IReadOnlyList<(string Field, string Message)> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public string? ErrorFor(string field) => _errors.FirstOrDefault(e => e.Field == field).Message;

    public string? DateErrorFor(string field) => ErrorFor(field + "-day") ?? ErrorFor(field + "-month") ?? ErrorFor(field + "-year");

    public void AddError(string field, string message)
    {
        if (ErrorFor(field) is null)
            _errors.Add((field, message));
        ViewData["HasErrors"] = true;
    }

    /// <summary>Puts an API problem's field errors on the page's fields (<paramref name="fields"/> maps the API's names to field ids), or its sentence on <paramref name="fallbackField"/>.</summary>
    internal void AddProblem(ApiProblem problem, string fallbackField, IReadOnlyDictionary<string, string>? fields = null, Func<string, string, string>? reword = null)
    {
        var placed = false;
        foreach (var (name, messages) in problem.Errors)
        {
            var field = fields?.GetValueOrDefault(name) ?? fields?.FirstOrDefault(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (field is null)
                continue;
            var message = messages.FirstOrDefault() ?? "Check this answer.";
            AddError(field, reword?.Invoke(name, message) ?? message);
            placed = true;
        }
        if (!placed)
            AddError(fallbackField, problem.Detail is { Length: > 0 } detail && problem.Status < 500 ? Plain(detail) : "Something went wrong. Try again in a moment.");
    }

    /// <summary>The API's sentences are for integrators; drop what a person cannot act on (ids, paths).</summary>
    internal static string Plain(string detail)
    {
        var words = detail.Split(' ').Where(w => !Guid.TryParse(w.Trim('.', ',', ';', ':', '(', ')'), out _) && !w.StartsWith("/api", StringComparison.Ordinal)
            && !w.StartsWith("GET", StringComparison.Ordinal) && !w.StartsWith("POST", StringComparison.Ordinal) && !w.StartsWith("PUT", StringComparison.Ordinal));
        return string.Join(' ', words).Replace(" .", ".", StringComparison.Ordinal);
    }
}
