using System.Text.Json.Nodes;

namespace Passport.Credentials.Jose;

/// <summary>A set of public P-256 keys, each with a unique <c>kid</c> (RFC 7517 §5).</summary>
public sealed class JsonWebKeySet(IReadOnlyList<EcPublicJwk> keys)
{
    public IReadOnlyList<EcPublicJwk> Keys { get; } = keys;

    public EcPublicJwk? Find(string kid)
    {
        foreach (var k in Keys)
        {
            if (string.Equals(k.KeyId, kid, StringComparison.Ordinal))
                return k;
        }
        return null;
    }

    public JsonObject ToJson() => new() { ["keys"] = new JsonArray([.. Keys.Select(k => (JsonNode)k.ToJson())]) };

    /// <summary>Reads a JWKS, keeping the P-256 keys that have a <c>kid</c>; other keys are ignored, a malformed set is refused.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonWebKeySet set)
    {
        set = new JsonWebKeySet([]);
        if (!StrictJson.TryParseObject(utf8, out var o, out _) || o["keys"] is not JsonArray arr)
            return false;
        var keys = new List<EcPublicJwk>();
        foreach (var item in arr)
        {
            if (EcPublicJwk.TryParse(item, out var jwk, out _) && jwk.KeyId is not null)
            {
                if (keys.Any(k => k.KeyId == jwk.KeyId))
                    return false;
                keys.Add(jwk);
            }
        }
        set = new JsonWebKeySet(keys);
        return true;
    }
}
