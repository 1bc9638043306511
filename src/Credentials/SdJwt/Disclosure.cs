using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// One SD-JWT Disclosure (RFC 9901 §4.2): <c>[salt, name, value]</c> for an object member or
/// <c>[salt, value]</c> for an array element. The encoded string is kept exactly as received,
/// because the digest is over those characters, never over a re-serialisation.
/// </summary>
public sealed class Disclosure
{
    // A disclosure read in place is the range [_start, _start + _length) of _source (the presentation); its encoded string and
    // its salt are made only when asked for: the verifier never asks.
    private readonly string _source;
    private readonly int _start;
    private readonly int _length;
    private string? _encoded;
    private string? _salt;

    private Disclosure(string encoded, string? salt, string? name, JsonNode? value)
        : this(encoded, 0, encoded.Length, salt, name, value)
    {
    }

    private Disclosure(string source, int start, int length, string? salt, string? name, JsonNode? value)
    {
        _source = source;
        _start = start;
        _length = length;
        _encoded = start == 0 && length == source.Length ? source : null;
        _salt = salt;
        Name = name;
        Value = value;
        Digest = ComputeDigest(source.AsSpan(start, length));
    }

    public string Encoded => _encoded ??= _source.Substring(_start, _length);
    public string Salt => _salt ??= ReadSalt(Encoded);

    /// <summary>The claim name, or null for an array element disclosure.</summary>
    public string? Name { get; }
    public JsonNode? Value { get; }
    public string Digest { get; }
    public bool IsArrayElement => Name is null;

    /// <summary>Creates a disclosure with a fresh 128-bit salt from the CSPRNG (RFC 9901 §9.3).</summary>
    public static Disclosure Create(string? name, JsonNode? value) =>
        Create(Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(16)), name, value);

    public static Disclosure Create(string salt, string? name, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(salt);
        if (name is "_sd" or "...")
            throw new ArgumentException($"'{name}' cannot be a disclosed claim name (RFC 9901 §4.2.1).", nameof(name));
        var array = new JsonArray { salt };
        if (name is not null)
            array.Add(name);
        array.Add(value?.DeepClone());
        var encoded = Base64UrlStrict.Encode(StrictJson.Serialize(array));
        return new Disclosure(encoded, salt, name, value?.DeepClone());
    }

    public static string ComputeDigest(ReadOnlySpan<char> encoded)
    {
        Span<byte> hash = stackalloc byte[32];
        HashAscii(encoded, hash);
        return Base64UrlStrict.Encode(hash);
    }

    /// <summary>The digest as base64url characters (43 of them) written into <paramref name="destination"/>.</summary>
    internal static int ComputeDigest(ReadOnlySpan<char> encoded, Span<char> destination)
    {
        Span<byte> hash = stackalloc byte[32];
        HashAscii(encoded, hash);
        return Base64Url.EncodeToChars(hash, destination);
    }

    private static void HashAscii(ReadOnlySpan<char> encoded, Span<byte> hash)
    {
        // The digest input is the ASCII of the base64url text (RFC 9901 §4.2.3).
        byte[]? rented = null;
        Span<byte> ascii = encoded.Length <= 1024 ? stackalloc byte[encoded.Length] : (rented = ArrayPool<byte>.Shared.Rent(encoded.Length));
        ascii = ascii[..encoded.Length];
        Encoding.ASCII.GetBytes(encoded, ascii);
        Sha256.Hash(ascii, hash);
        if (rented is not null)
            ArrayPool<byte>.Shared.Return(rented);
    }

    public static bool TryParse(string encoded, out Disclosure disclosure, out CredentialError? error)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return TryParse(encoded, 0, encoded.Length, out disclosure, out error);
    }

    /// <summary>As <see cref="TryParse(string, out Disclosure, out CredentialError?)"/> on <c>source[start..(start + length)]</c>, without copying it out when it reads cleanly.</summary>
    internal static bool TryParse(string source, int start, int length, out Disclosure disclosure, out CredentialError? error)
    {
        error = null;
        return TryParseClean(source, start, length, out disclosure)
            || TryParseStrict(start == 0 && length == source.Length ? source : source.Substring(start, length), out disclosure, out error);
    }

    /// <summary>
    /// The common disclosure: a short, canonical base64url of valid UTF-8 with no escapes, shaped <c>[salt, name, value]</c> or
    /// <c>[salt, value]</c>. Read with one <see cref="Utf8JsonReader"/> pass and no DOM for the array; only an object, array or
    /// number value becomes a parsed node. Whatever this path does not accept goes to <see cref="TryParseStrict"/>, which
    /// decides and names the flaw, so both paths accept exactly the same disclosures.
    /// </summary>
    private static bool TryParseClean(string source, int start, int length, out Disclosure disclosure)
    {
        disclosure = null!;
        var encoded = source.AsSpan(start, length);
        if (encoded.Length > 2048)
            return false;
        Span<byte> buffer = stackalloc byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (!Base64UrlStrict.TryDecode(encoded, buffer, out var written))
            return false;
        var utf8 = buffer[..written];
        if (utf8.IndexOf((byte)'\\') >= 0 || !Utf8.IsValid(utf8))
            return false;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = StrictJson.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.String)
                return false;
            if (!reader.Read() || !TryReadValue(ref reader, utf8, out var second))
                return false;
            string? name = null;
            var value = second;
            if (!reader.Read())
                return false;
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                if (second is not JsonValue nameValue || !nameValue.TryGetValue(out name) || name is "_sd" or "..." || !TryReadValue(ref reader, utf8, out value)
                    || !reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                    return false;
            }
            if (reader.Read())
                return false;
            disclosure = new Disclosure(source, start, length, salt: null, name, value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The first element of a disclosure that has already been read, and so is known to be a string.
    private static string ReadSalt(string encoded)
    {
        var utf8 = Base64UrlStrict.TryDecode(encoded, out var bytes) ? bytes : [];
        var reader = new Utf8JsonReader(utf8);
        reader.Read();
        reader.Read();
        return reader.GetString()!;
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, out JsonNode? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = JsonValue.Create(reader.GetString()!);
                return true;
            case JsonTokenType.True or JsonTokenType.False:
                value = JsonValue.Create(reader.TokenType == JsonTokenType.True);
                return true;
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.Number or JsonTokenType.StartObject or JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                // Duplicate member names inside the value are refused here (the options), and named by the strict path.
                value = JsonNode.Parse(utf8[start..(int)reader.BytesConsumed], documentOptions: StrictJson.NodeOptions);
                return true;
            default:
                return false;
        }
    }

    internal static bool TryParseStrict(string encoded, out Disclosure disclosure, out CredentialError? error)
    {
        disclosure = null!;
        error = null;
        if (!Base64UrlStrict.TryDecode(encoded, out var bytes))
        {
            error = CredentialError.Of(ErrorCodes.MalformedDisclosure, "A disclosure is not base64url without padding.");
            return false;
        }
        if (!StrictJson.TryParseNode(bytes, out var node, out var inspection) || node is not JsonArray array)
        {
            error = inspection.Flaw switch
            {
                JsonFlaw.DuplicateMember => CredentialError.Of(ErrorCodes.DuplicateMember, "A disclosure's value repeats a member name."),
                JsonFlaw.InvalidUtf8 => CredentialError.Of(ErrorCodes.InvalidUtf8, $"A disclosure is not valid UTF-8 JSON (at {inspection.Path})."),
                _ => CredentialError.Of(ErrorCodes.MalformedDisclosure, "A disclosure is not a JSON array."),
            };
            return false;
        }
        if (array.Count is not (2 or 3) || array[0] is not JsonValue saltValue || !saltValue.TryGetValue<string>(out var salt))
        {
            error = CredentialError.Of(ErrorCodes.MalformedDisclosure, "A disclosure must be [salt, value] or [salt, name, value] with a string salt.");
            return false;
        }
        string? name = null;
        if (array.Count == 3)
        {
            if (array[1] is not JsonValue nameValue || !nameValue.TryGetValue(out name))
            {
                error = CredentialError.Of(ErrorCodes.MalformedDisclosure, "A disclosure's claim name must be a string.");
                return false;
            }
            if (name is "_sd" or "...")
            {
                error = CredentialError.Of(ErrorCodes.ReservedClaimName, $"A disclosure may not carry the claim name '{name}'.");
                return false;
            }
        }
        var value = array[^1];
        // Detach the value from its parent array so it can be placed into the processed claims.
        array.RemoveAt(array.Count - 1);
        disclosure = new Disclosure(encoded, salt, name, value);
        return true;
    }
}
