using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>Reads a wallet's JSON request body strictly: bounded, one object, no repeated member names.</summary>
internal static class WalletJson
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<(JsonObject? Request, string? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (null, "Send the request body as application/json.");
        var tooLarge = $"The request body is larger than {MaxBodyBytes / 1024} KiB.";
        if (request.ContentLength > MaxBodyBytes)
            return (null, tooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return (null, tooLarge);
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        var inspection = StrictJson.Inspect(bytes, refuseControlCharacters: true);
        if (!inspection.IsSound)
            return (null, JsonBodyProblems.Describe(inspection));
        if (!StrictJson.TryParseObject(bytes, out var json, out _))
            return (null, "The request body is not a JSON object.");
        return (json, null);
    }
}
