using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Passport.ServiceDefaults;

/// <summary>
/// Request shape checks (required, length, range, format, one field against another) as attributes on the request, run by
/// .NET's validation before the handler. Its problem reads as <see cref="Problems.Validation"/>'s, so clients see one shape.
/// </summary>
public static class RequestValidation
{
    internal static void Customise(ProblemDetailsContext context)
    {
        // The validation filter's problem carries no code; ours always do, so only the filter's is rewritten.
        if (context.ProblemDetails is not HttpValidationProblemDetails problem || problem.Extensions.ContainsKey("code"))
            return;
        problem.Title = Problems.ValidationTitle;
        problem.Type = Problems.ValidationType;
        problem.Detail ??= Problems.ValidationDetail;
        problem.Extensions["code"] = Problems.ValidationCode;
        // The filter names a body's fields as C# does (Registrations[0].Register); clients know them as JSON does.
        problem.Errors = problem.Errors.ToDictionary(e => JsonName(e.Key), e => e.Value, StringComparer.Ordinal);
    }

    private static string JsonName(string path) => string.Join('.', path.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}
