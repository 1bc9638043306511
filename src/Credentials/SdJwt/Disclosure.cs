using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// One SD-JWT Disclosure (RFC 9901 §4.2): <c>[salt, name, value]</c> for an object member or
/// <c>[salt, value]</c> for an array element. The encoded string is kept exactly as received,
/// because the digest is over those characters, never over a re-serialisation.
/// </summary>
public sealed class Disclosure
{
    private Disclosure(string encoded, string salt, string? name, JsonNode? value)
    {
        Encoded = encoded;
        Salt = salt;
        Name = name;
        Value = value;
        Digest = ComputeDigest(encoded);
    }

    public string Encoded { get; }
    public string Salt { get; }

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
        // The digest input is the ASCII of the base64url text (RFC 9901 §4.2.3).
        Span<byte> ascii = encoded.Length <= 2048 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        Encoding.ASCII.GetBytes(encoded, ascii);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(ascii, hash);
        return Base64UrlStrict.Encode(hash);
    }

    public static bool TryParse(string encoded, out Disclosure disclosure, out CredentialError? error)
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
