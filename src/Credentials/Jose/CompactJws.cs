using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace Passport.Credentials.Jose;

/// <summary>A JWS in compact serialization, split and decoded but not yet trusted.</summary>
public sealed class CompactJws
{
    private CompactJws(string raw, int firstDot, int secondDot, JsonObject header, JsonObject payload, byte[] signature)
    {
        Raw = raw;
        SigningInputLength = secondDot;
        Header = header;
        Payload = payload;
        Signature = signature;
        _ = firstDot;
    }

    public string Raw { get; }
    public JsonObject Header { get; }
    public JsonObject Payload { get; }
    public byte[] Signature { get; }
    private int SigningInputLength { get; }

    public ReadOnlySpan<char> SigningInput => Raw.AsSpan(0, SigningInputLength);

    public string? Algorithm => Header.GetString("alg");
    public string? Type => Header.GetString("typ");
    public string? KeyId => Header.GetString("kid");

    public bool VerifyWith(EcPublicJwk key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var input = SigningInput;
        // The signing input is ASCII by construction (base64url), so a byte-per-char copy is exact.
        Span<byte> buffer = input.Length <= 4096 ? stackalloc byte[input.Length] : new byte[input.Length];
        Encoding.ASCII.GetBytes(input, buffer);
        return key.VerifyEs256(buffer, Signature);
    }

    /// <summary>Splits and decodes a compact JWS; the error says which structural rule was broken, naming the JWT as <paramref name="what"/>.</summary>
    public static bool TryParse(string text, out CompactJws jws, out CredentialError? error, string what = "JWT")
    {
        jws = null!;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = CredentialError.Of(ErrorCodes.MalformedJwt, $"The {what} is empty.");
            return false;
        }
        if (text[0] == '{')
        {
            error = CredentialError.Of(ErrorCodes.JsonSerializationNotSupported, $"Only the compact JWS serialization is accepted for the {what}, not the JSON serialization.");
            return false;
        }
        var dots = text.AsSpan().Count('.');
        if (dots == 4)
        {
            error = CredentialError.Of(ErrorCodes.JweNotSupported, $"Encrypted JWTs (JWE) are not accepted here; send the {what} signed.");
            return false;
        }
        if (dots != 2)
        {
            error = CredentialError.Of(ErrorCodes.MalformedJwt, $"The {what} is not a compact JWS: it has exactly three dot-separated parts.");
            return false;
        }
        var first = text.IndexOf('.', StringComparison.Ordinal);
        var second = text.IndexOf('.', first + 1);
        if (!TryDecodeObject(text.AsSpan(0, first), what, "header", out var header, out error)
            || !TryDecodeObject(text.AsSpan(first + 1, second - first - 1), what, "payload", out var payload, out error))
        {
            return false;
        }
        if (!Base64UrlStrict.TryDecode(text.AsSpan(second + 1), out var signature))
        {
            error = CredentialError.Of(ErrorCodes.MalformedSignature, $"The {what} signature is not base64url without padding.");
            return false;
        }
        jws = new CompactJws(text, first, second, header, payload, signature);
        return true;
    }

    private static bool TryDecodeObject(ReadOnlySpan<char> encoded, string what, string part, out JsonObject obj, out CredentialError? error)
    {
        obj = [];
        error = null;
        // Decoded into a pooled buffer: the parser copies what it keeps, so the bytes need not outlive this call.
        var length = Base64Url.GetMaxDecodedLength(encoded.Length);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!Base64UrlStrict.TryDecode(encoded, rented, out var written))
            {
                error = CredentialError.Of(ErrorCodes.MalformedJwt, $"The {what} {part} is not base64url without padding.");
                return false;
            }
            return TryParseObject(rented.AsSpan(0, written), what, part, out obj, out error);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool TryParseObject(ReadOnlySpan<byte> bytes, string what, string part, out JsonObject obj, out CredentialError? error)
    {
        error = null;
        if (StrictJson.TryParseObject(bytes, out obj, out var inspection))
            return true;
        error = inspection.Flaw switch
        {
            JsonFlaw.DuplicateMember => CredentialError.Of(ErrorCodes.DuplicateMember, $"The {what} {part} repeats a member name ({inspection.Path})."),
            // RFC 8259 §8.1
            JsonFlaw.InvalidUtf8 => CredentialError.Of(ErrorCodes.InvalidUtf8, $"The {what} {part} is not valid UTF-8 JSON (at {inspection.Path})."),
            _ => CredentialError.Of(ErrorCodes.MalformedJwt, $"The {what} {part} is not a JSON object."),
        };
        return false;
    }

    /// <summary>Builds and signs a compact JWS with ES256. The header gets <c>alg</c>; the caller sets the rest.</summary>
    public static async ValueTask<string> SignAsync(
        JsonObject header, JsonObject payload, IJwsSigner signer, SigningKeyReference key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(signer);
        header["alg"] = "ES256";
        var signingInput = Base64UrlStrict.Encode(StrictJson.Serialize(header)) + "." + Base64UrlStrict.Encode(StrictJson.Serialize(payload));
        var signature = await signer.SignAsync(key, Encoding.ASCII.GetBytes(signingInput), cancellationToken).ConfigureAwait(false);
        if (signature.Value.Length != 64)
            throw new InvalidOperationException("An ES256 signer must return a 64-byte R||S signature.");
        if (header["kid"] is not null && header.GetString("kid") != signature.KeyId)
            throw new InvalidOperationException($"The signer used key '{signature.KeyId}' but the header names '{header.GetString("kid")}'.");
        return signingInput + "." + Base64UrlStrict.Encode(signature.Value);
    }
}

internal static class JsonObjectExtensions
{
    public static string? GetString(this JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    public static bool TryGetNumericDate(this JsonObject o, string name, out long value, out bool present)
    {
        value = 0;
        present = o.TryGetPropertyValue(name, out var v);
        if (!present || v is not JsonValue jv)
            return false;
        if (jv.TryGetValue<long>(out value))
            return true;
        if (jv.TryGetValue<double>(out var d) && double.IsFinite(d))
        {
            value = (long)Math.Floor(d);
            return true;
        }
        return false;
    }
}
