using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Passport.Credentials.Jose;

namespace Passport.ServiceDefaults;

/// <summary>Marks an endpoint that reads its JSON body itself, with <see cref="StrictJson"/>, and answers in its protocol's error format.</summary>
public sealed class ReadsOwnJsonBody
{
    public static readonly ReadsOwnJsonBody Instance = new();

    private ReadsOwnJsonBody()
    {
    }
}

public static class StrictJsonBodyExtensions
{
    /// <summary>Leaves this endpoint's JSON body to the endpoint (which must still read it with <see cref="StrictJson"/>).</summary>
    public static TBuilder ReadsOwnJsonBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ServiceDefaults.ReadsOwnJsonBody.Instance);

    /// <summary>This endpoint's request body limit, in bytes, for the server and for <see cref="StrictJsonBodies"/>.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimit(bytes));

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}

/// <summary>The sentences and codes for a JSON body's flaws, shared by every endpoint that takes JSON.</summary>
public static class JsonBodyProblems
{
    public static string Code(JsonFlaw flaw) => flaw switch
    {
        JsonFlaw.InvalidUtf8 => "invalid_utf8",
        JsonFlaw.DuplicateMember => "duplicate_member",
        JsonFlaw.ControlCharacter => "control_character",
        _ => "malformed_request",
    };

    public static string Describe(JsonInspection inspection) => inspection.Flaw switch
    {
        // RFC 8259 §8.1
        JsonFlaw.InvalidUtf8 => $"The body is not valid UTF-8 at {inspection.Path}: send JSON text encoded as UTF-8.",
        JsonFlaw.DuplicateMember => $"The body has the member {inspection.Path} more than once: send each member once.",
        JsonFlaw.ControlCharacter => $"{inspection.Path} holds a control character (NUL, escape and the like): remove it. Text may hold tabs and line breaks only.",
        _ => "The body is not well-formed JSON: check it against the documented shape.",
    };
}

/// <summary>
/// Every JSON request body is read once, bounded, before anything binds it: text that is not UTF-8, a member given twice,
/// control characters in strings, and <c>null</c> or a bare value where an object or array belongs are refused with a 400
/// naming the field, so that no lenient binder reads them as something else (last member wins, an empty request).
/// </summary>
internal sealed class StrictJsonBodies(RequestDelegate next)
{
    private const long DefaultLimit = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!(HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
            || !request.HasJsonContentType()
            || context.GetEndpoint() is not { } endpoint
            || endpoint.Metadata.GetMetadata<ReadsOwnJsonBody>() is not null)
        {
            await next(context);
            return;
        }

        var limit = endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
            ?? context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? DefaultLimit;
        if (request.ContentLength > limit)
        {
            await TooLarge().ExecuteAsync(context);
            return;
        }
        var body = await ReadBoundedAsync(request.Body, limit, context.RequestAborted);
        if (body is null)
        {
            await TooLarge().ExecuteAsync(context);
            return;
        }
        if (body.Length > 0)
        {
            var inspection = StrictJson.Inspect(body, refuseControlCharacters: true);
            if (!inspection.IsSound)
            {
                await Refuse(JsonBodyProblems.Code(inspection.Flaw), JsonBodyProblems.Describe(inspection), inspection.Path).ExecuteAsync(context);
                return;
            }
            if (FirstToken(body) is not ((byte)'{' or (byte)'['))
            {
                await Refuse("body_not_object", "The body must be a JSON object of the documented shape, not null or a bare value.", "$").ExecuteAsync(context);
                return;
            }
        }
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(context);
    }

    private static byte FirstToken(byte[] body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return b;
        }
        return 0;
    }

    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.ToArray();
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(string code, string detail, string field)
    {
        var problem = Problems.BadRequest(code, detail);
        problem.ProblemDetails.Extensions["field"] = field;
        return problem;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "request_too_large", "The request body is larger than this endpoint accepts.");
}
