using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;

namespace Passport.Credentials.Jose;

/// <summary>A JWS in compact serialization, split and decoded but not yet trusted.</summary>
public sealed class CompactJws
{
    // A JWS read in place (see TryReadInPlace) keeps the text it lies in, and its header and KB-JWT payload as flat objects;
    // the DOMs are made only if someone asks for them.
    private readonly string _source;
    private readonly int _length;
    private string? _raw;
    private JsonObject? _header;
    private JsonObject? _payload;
    private readonly FlatJsonObject? _flatHeader;
    private readonly FlatJsonObject? _flatPayload;

    private CompactJws(string source, int length, int secondDot, JsonObject? header, FlatJsonObject? flatHeader, JsonObject? payload, FlatJsonObject? flatPayload, byte[] signature)
    {
        _source = source;
        _length = length;
        SigningInputLength = secondDot;
        _header = header;
        _flatHeader = flatHeader;
        _payload = payload;
        _flatPayload = flatPayload;
        Signature = signature;
    }

    public string Raw => _raw ??= _length == _source.Length ? _source : _source[.._length];
    public JsonObject Header => _header ??= _flatHeader!.ToJsonObject();
    public JsonObject Payload => _payload ??= _flatPayload!.ToJsonObject();
    public byte[] Signature { get; }
    private int SigningInputLength { get; }

    public ReadOnlySpan<char> SigningInput => _source.AsSpan(0, SigningInputLength);

    public string? Algorithm => HeaderString("alg");
    public string? Type => HeaderString("typ");
    public string? KeyId => HeaderString("kid");

    internal bool HeaderContains(string name) => _flatHeader?.Contains(name) ?? Header.ContainsKey(name);

    internal string? HeaderString(string name) => _flatHeader is { } flat ? flat.GetString(name) : Header.GetString(name);

    internal string? PayloadString(string name) => _flatPayload is { } flat ? flat.GetString(name) : Payload.GetString(name);

    /// <summary>Whether the payload's string member equals <paramref name="expected"/>; null when it is absent or not a string.</summary>
    internal bool? PayloadStringEquals(string name, ReadOnlySpan<char> expected, bool fixedTime)
    {
        if (_flatPayload is { } flat)
            return flat.StringEquals(name, expected, fixedTime);
        if (Payload.GetString(name) is not { } value)
            return null;
        return fixedTime
            ? System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Runtime.InteropServices.MemoryMarshal.AsBytes(value.AsSpan()), System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected))
            : value.AsSpan().SequenceEqual(expected);
    }

    internal bool TryGetPayloadNumericDate(string name, out long value, out bool present) =>
        _flatPayload is { } flat ? flat.TryGetNumericDate(name, out value, out present) : Payload.TryGetNumericDate(name, out value, out present);

    public bool VerifyWith(EcPublicJwk key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var input = SigningInput;
        // The signing input is ASCII by construction (base64url), so a byte-per-char copy is exact.
        Span<byte> buffer = input.Length <= 4096 ? stackalloc byte[input.Length] : new byte[input.Length];
        Encoding.ASCII.GetBytes(input, buffer);
        return key.VerifyEs256(buffer, Signature);
    }

    /// <summary>
    /// Reads the compact JWS that is the first <paramref name="length"/> characters of <paramref name="source"/>, without
    /// copying it out, when it is of the common kind: three parts, a flat header, a payload that is a flat object (with
    /// <paramref name="flatPayload"/>) or any object, each of clean JSON (<see cref="FlatJsonObject"/>,
    /// <see cref="JsonDomReader"/>). False for anything else, valid or not: <see cref="TryParse"/> then decides, and names
    /// the flaw. What this accepts, <see cref="TryParse"/> accepts with the same header and payload.
    /// </summary>
    internal static bool TryReadInPlace(string source, int length, bool flatPayload, out CompactJws jws)
    {
        jws = null!;
        var text = source.AsSpan(0, length);
        var first = text.IndexOf('.');
        if (first <= 0 || text[0] == '{')
            return false;
        var second = text[(first + 1)..].IndexOf('.') + first + 1;
        if (second <= first || text[(second + 1)..].Contains('.') || text.Length - second - 1 != 86 || first > 1024)
            return false;
        Span<byte> headerBytes = stackalloc byte[Base64Url.GetMaxDecodedLength(first)];
        if (!Base64UrlStrict.TryDecode(text[..first], headerBytes, out var headerLength)
            || !FlatJsonObject.TryRead(headerBytes[..headerLength], out var header))
        {
            return false;
        }
        var signature = new byte[64];
        if (!Base64UrlStrict.TryDecode(text[(second + 1)..], signature, out var signatureLength) || signatureLength != 64)
            return false;
        var encodedPayload = text[(first + 1)..second];
        var rented = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(encodedPayload.Length));
        try
        {
            if (!Base64UrlStrict.TryDecode(encodedPayload, rented, out var payloadLength))
                return false;
            var payloadBytes = rented.AsSpan(0, payloadLength);
            JsonObject? payload = null;
            FlatJsonObject? flat = null;
            if (flatPayload ? !FlatJsonObject.TryRead(payloadBytes, out flat) : !JsonDomReader.TryReadObject(payloadBytes, out payload))
                return false;
            jws = new CompactJws(source, length, second, null, header, payload, flat, signature);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
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
        jws = new CompactJws(text, text.Length, second, header, null, payload, null, signature);
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
        o.TryGetPropertyValue(name, out var v) ? AsString(v) : null;

    public static string? AsString(JsonNode? v) => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    public static bool TryGetNumericDate(this JsonObject o, string name, out long value, out bool present)
    {
        value = 0;
        present = o.TryGetPropertyValue(name, out var v);
        return present && TryGetNumericDate(v, out value);
    }

    public static bool TryGetNumericDate(JsonNode? v, out long value)
    {
        value = 0;
        if (v is not JsonValue jv)
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
