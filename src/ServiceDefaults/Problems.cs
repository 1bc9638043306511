using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Passport.ServiceDefaults;

/// <summary>RFC 9457 problem details with a stable <c>code</c> and a sentence that says what to fix.</summary>
public static class Problems
{
    public static ProblemHttpResult Problem(int status, string code, string detail, string? title = null) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = title ?? DefaultTitle(status),
            Detail = detail,
            Type = $"https://passport.nhs.uk/problems/{code}",
            Extensions = { ["code"] = code },
        });

    public static ProblemHttpResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, code, detail);

    public static ProblemHttpResult NotFound(string code, string detail) => Problem(StatusCodes.Status404NotFound, code, detail);

    public static ProblemHttpResult Conflict(string code, string detail) => Problem(StatusCodes.Status409Conflict, code, detail);

    public static ProblemHttpResult Forbidden(string code, string detail) => Problem(StatusCodes.Status403Forbidden, code, detail);

    internal const string ValidationCode = "validation_failed";
    internal const string ValidationTitle = "Invalid request";
    internal const string ValidationType = "https://passport.nhs.uk/problems/" + ValidationCode;
    internal const string ValidationDetail = "Some fields are missing or invalid; see errors.";

    /// <summary>A 400 naming every bad field: <c>errors</c> maps field to what is wrong with it.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail = ValidationDetail) =>
        TypedResults.ValidationProblem(errors, detail: detail, title: ValidationTitle, type: ValidationType,
            extensions: new Dictionary<string, object?> { ["code"] = ValidationCode });

    private static string DefaultTitle(int status) => status switch
    {
        400 => "Bad request",
        401 => "Not authenticated",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "Request too large",
        422 => "Unprocessable",
        429 => "Too many requests",
        _ => "Error",
    };
}

/// <summary>
/// Thrown when a change could not be made because of contention that outlasted its retries (writers racing on one
/// status list, say): nothing of it was kept, and the same request will very likely succeed a moment later.
/// Answered as 503 with <c>Retry-After</c> and <see cref="Code"/>.
/// </summary>
public sealed class ServiceBusyException(string code, string detail, Exception? innerException = null) : Exception(detail, innerException)
{
    public string Code { get; } = code;
}

/// <summary>
/// Turns a client's malformed request (bad JSON, body too large, wrong content type) into a 4xx problem, contention
/// that outlasted its retries into a 503 to retry, and anything else into a 500 problem without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: 413 } => (413, "request_too_large", "The request body is larger than this endpoint accepts."),
            BadHttpRequestException { StatusCode: 415 } => (415, "unsupported_media_type", "Send the body as application/json."),
            BadHttpRequestException b => (b.StatusCode, "malformed_request", "The request could not be read: check that the body is well-formed JSON of the documented shape and that every parameter has the documented type."),
            ServiceBusyException b => (503, b.Code, b.Message),
            _ => (500, "internal_error", "Something went wrong on our side. It has been logged; please try again."),
        };
        if (exception is ServiceBusyException)
        {
            LogBusy(log, exception);
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else if (status >= 500)
            LogUnhandled(log, exception);
        httpContext.Response.StatusCode = status;
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status switch { 503 => "Busy, try again", >= 500 => "Server error", _ => "Bad request" },
            Detail = detail,
            Type = $"https://passport.nhs.uk/problems/{code}",
            Extensions = { ["code"] = code },
        };
        // Whatever the client accepts: a handler that declined would leave the exception to the developer page, which echoes headers.
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem }))
            await TypedResults.Problem(problem).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503: contention outlasted the retries")]
    private static partial void LogBusy(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
