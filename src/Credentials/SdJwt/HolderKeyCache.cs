using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// Holder keys already seen, with their imported verifier. Importing a public key into the platform's ECDsa validates it
/// with a scalar multiplication, costing about as much as a signature verification; a member of staff presents the same
/// credential many times, so the verifier keeps the imported key. Bounded: cleared when full.
/// </summary>
internal sealed class HolderKeyCache(int capacity)
{
    private readonly ConcurrentDictionary<(string X, string Y), EcPublicJwk> _keys = new();

    public bool TryGetOrParse(JsonNode? node, out EcPublicJwk key, out string error)
    {
        error = "";
        if (capacity > 0 && node is JsonObject o && o["x"] is JsonValue xv && xv.TryGetValue<string>(out var x)
            && o["y"] is JsonValue yv && yv.TryGetValue<string>(out var y) && _keys.TryGetValue((x, y), out var cached)
            && o["kty"] is JsonValue kty && kty.TryGetValue<string>(out var k) && k == "EC"
            && o["crv"] is JsonValue crv && crv.TryGetValue<string>(out var c) && c == "P-256" && !o.ContainsKey("d"))
        {
            key = cached;
            return true;
        }
        if (!EcPublicJwk.TryParse(node, out key, out error))
            return false;
        if (capacity > 0)
        {
            if (_keys.Count >= capacity)
                _keys.Clear();
            _keys.TryAdd((key.X, key.Y), key);
        }
        return true;
    }
}
