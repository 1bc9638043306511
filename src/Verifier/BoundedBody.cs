using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.ServiceDefaults;

namespace Passport.Verifier;

/// <summary>
/// Reads a request body of at most <see cref="Limit"/> bytes before anything parses it. A larger body is refused with 413,
/// from Content-Length when it is given, otherwise as soon as the limit is passed; Kestrel enforces the same limit itself.
/// </summary>
internal static class BoundedBody
{
    public const int Limit = 256 * 1024;

    public static async Task<(byte[]? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > Limit)
            return (null, TooLarge());
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = Limit;

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > Limit)
                return (null, TooLarge());
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Problem(StatusCodes.Status413PayloadTooLarge, "request_too_large", $"The request body is larger than this endpoint accepts ({Limit / 1024} KB).");
}
