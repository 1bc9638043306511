using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// Holder keys already seen, with their imported verifier. Importing a public key into the platform's ECDsa validates it
/// with a scalar multiplication, costing about as much as a signature verification; a member of staff presents the same
/// credentials many times, so the key is kept. One cache can be shared by every verifier of a process (they may trust
/// different issuers: the cache holds only what a <c>cnf</c> JWK says, never who issued it). Thread-safe and bounded:
/// when full it is cleared, so a flood of new keys costs each of them one import and no more memory.
/// </summary>
public sealed class HolderKeyCache
{
    private readonly ConcurrentDictionary<(string X, string Y, string? Kid), EcPublicJwk> _keys = new();
    private readonly int _capacity;
    private int _count;

    /// <param name="capacity">How many keys to keep; 0 keeps none.</param>
    public HolderKeyCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>How many keys are kept now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The key a <c>cnf</c> JWK names, parsed as <see cref="EcPublicJwk.TryParse"/> does. A hit is taken only for a JWK
    /// that the parser would accept as this very key: same x, y and kid, kty EC, crv P-256, no private part.
    /// </summary>
    public bool TryGetOrParse(JsonNode? node, out EcPublicJwk key, out string error) => TryGetOrParse(node, importNow: false, out key, out error);

    /// <summary>As <see cref="TryGetOrParse(JsonNode?, out EcPublicJwk, out string)"/>; a key not kept yet is parsed as <see cref="EcPublicJwk.TryParse(JsonNode?, bool, out EcPublicJwk, out string)"/> does.</summary>
    internal bool TryGetOrParse(JsonNode? node, bool importNow, out EcPublicJwk key, out string error) =>
        TryGetOrParse(node, importNow, out key, out error, out _);

    /// <summary>As above; <paramref name="kept"/> says whether the key is the cache's (so shared), or the caller's alone.</summary>
    internal bool TryGetOrParse(JsonNode? node, bool importNow, out EcPublicJwk key, out string error, out bool kept)
    {
        error = "";
        kept = false;
        if (_capacity > 0 && node is JsonObject o && Str(o, "x") is { } x && Str(o, "y") is { } y
            && _keys.TryGetValue((x, y, Str(o, "kid")), out var cached)
            && Str(o, "kty") == "EC" && Str(o, "crv") == "P-256" && !o.ContainsKey("d"))
        {
            key = cached;
            kept = true;
            return true;
        }
        if (!EcPublicJwk.TryParse(node, importNow, out key, out error))
            return false;
        if (_capacity > 0)
        {
            if (Volatile.Read(ref _count) >= _capacity)
            {
                _keys.Clear();
                Volatile.Write(ref _count, 0);
            }
            if (_keys.TryAdd((key.X, key.Y, key.KeyId), key))
            {
                Interlocked.Increment(ref _count);
                kept = true;
            }
        }
        return true;
    }

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;
}
