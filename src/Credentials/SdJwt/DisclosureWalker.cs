using System.Text.Json.Nodes;

namespace Passport.Credentials.SdJwt;

/// <summary>
/// Replaces digests with the disclosed claims (RFC 9901 §7.1 step 3) and enforces the rules of steps 3-5:
/// every digest appears once, every disclosure is used once, kinds match their place, names do not collide,
/// and registered claims are never disclosed. Records each used disclosure's claim path for the holder
/// (<paramref name="recordPaths"/>; a verifier has no use for them).
/// </summary>
internal sealed class DisclosureWalker(IReadOnlyDictionary<string, Disclosure> byDigest, bool recordPaths = true)
{
    private readonly HashSet<string> _seenDigests = new(StringComparer.Ordinal);
    private readonly List<object> _path = [];

    /// <summary>How many disclosures the digests referenced. Each digest is seen at most once, so no disclosure is counted twice.</summary>
    public int UsedCount { get; private set; }
    public Dictionary<string, IReadOnlyList<object>> Paths { get; } = new(StringComparer.Ordinal);
    public CredentialError? Error { get; private set; }

    public JsonObject? ProcessObject(JsonObject source, bool topLevel)
    {
        var result = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (name == "_sd")
                continue;
            Push(name);
            var processed = Process(value);
            Pop();
            if (Error is not null)
                return null;
            result[name] = processed;
        }
        return source.TryGetPropertyValue("_sd", out var sd) ? Disclose(sd, result, topLevel) : result;
    }

    /// <summary>
    /// As <see cref="ProcessObject"/> on the top level, but the result is <paramref name="payload"/> itself: its <c>_sd</c> is
    /// replaced by the claims it discloses, and a member that holds digests further down is replaced by its processed copy.
    /// Nothing else is copied, and no object or array that was in the payload is changed (a caller may still be holding it).
    /// For a payload that is not shared: the verifier's, made for this verification alone.
    /// </summary>
    public JsonObject? ProcessInPlace(JsonObject payload)
    {
        List<(string Name, JsonNode? Value)>? replaced = null;
        foreach (var (name, value) in payload)
        {
            if (name == "_sd" || !HoldsDigests(value))
                continue;
            Push(name);
            var processed = Process(value);
            Pop();
            if (Error is not null)
                return null;
            (replaced ??= []).Add((name, processed));
        }
        foreach (var (name, value) in replaced ?? [])
            payload[name] = value;
        if (!payload.TryGetPropertyValue("_sd", out var sd))
            return payload;
        payload.Remove("_sd");
        return Disclose(sd, payload, topLevel: true);
    }

    // Whether processing would change a value: an object with _sd, or an array with a '...' element, anywhere inside it.
    private static bool HoldsDigests(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o.ContainsKey("_sd"))
                    return true;
                foreach (var (_, value) in o)
                {
                    if (HoldsDigests(value))
                        return true;
                }
                return false;
            case JsonArray a:
                foreach (var element in a)
                {
                    if (IsElementDigest(element) || HoldsDigests(element))
                        return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static bool IsElementDigest(JsonNode? element) => element is JsonObject o && o.Count == 1 && o.ContainsKey("...");

    // Adds to result the claims that an object's _sd discloses (RFC 9901 §7.1 step 3.c).
    private JsonObject? Disclose(JsonNode? sd, JsonObject result, bool topLevel)
    {
        if (sd is not JsonArray digests)
            return Fail(ErrorCodes.MalformedSdJwt, "_sd must be an array of digests.");
        foreach (var item in digests)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var digest))
                return Fail(ErrorCodes.MalformedSdJwt, "Every entry of _sd must be a digest string.");
            if (!_seenDigests.Add(digest))
                return Fail(ErrorCodes.DuplicateDigest, "The same digest appears more than once in the credential.");
            if (!byDigest.TryGetValue(digest, out var disclosure))
                continue; // undisclosed claim or decoy
            if (disclosure.IsArrayElement)
                return Fail(ErrorCodes.DisclosureKindMismatch, "An array-element disclosure is referenced from an object's _sd.");
            if (topLevel && SdJwtVcIssuer.NonDisclosable.Contains(disclosure.Name!))
                return Fail(ErrorCodes.NonDisclosableClaim, $"'{disclosure.Name}' may never be selectively disclosed.");
            if (result.ContainsKey(disclosure.Name!))
                return Fail(ErrorCodes.ClaimNameCollision, $"The disclosed claim '{disclosure.Name}' already exists at this level.");
            UsedCount++;
            Push(disclosure.Name!);
            if (recordPaths)
                Paths[digest] = [.. _path];
            var processed = Process(disclosure.Value);
            Pop();
            if (Error is not null)
                return null;
            result[disclosure.Name!] = processed;
        }
        return result;
    }

    private JsonNode? Process(JsonNode? node) => node switch
    {
        JsonObject o => ProcessObject(o, topLevel: false),
        JsonArray a => ProcessArray(a),
        _ => node?.DeepClone(),
    };

    private JsonArray? ProcessArray(JsonArray source)
    {
        var result = new JsonArray();
        var index = 0;
        foreach (var element in source)
        {
            if (IsElementDigest(element) && ((JsonObject)element!).TryGetPropertyValue("...", out var reference))
            {
                if (reference is not JsonValue v || !v.TryGetValue<string>(out var digest))
                {
                    Fail(ErrorCodes.MalformedSdJwt, "An array element digest ('...') must be a string.");
                    return null;
                }
                if (!_seenDigests.Add(digest))
                {
                    Fail(ErrorCodes.DuplicateDigest, "The same digest appears more than once in the credential.");
                    return null;
                }
                if (!byDigest.TryGetValue(digest, out var disclosure))
                    continue; // undisclosed element or decoy: removed from the array
                if (!disclosure.IsArrayElement)
                {
                    Fail(ErrorCodes.DisclosureKindMismatch, "An object-member disclosure is referenced as an array element.");
                    return null;
                }
                UsedCount++;
                Push(index);
                if (recordPaths)
                    Paths[digest] = [.. _path];
                var value = Process(disclosure.Value);
                Pop();
                if (Error is not null)
                    return null;
                result.Add(value);
                index++;
                continue;
            }
            Push(index);
            var processed = Process(element);
            Pop();
            if (Error is not null)
                return null;
            result.Add(processed);
            index++;
        }
        return result;
    }

    // The path is kept only for the holder; a verifier's walk neither keeps it nor boxes the array indexes.
    private void Push(string name)
    {
        if (recordPaths)
            _path.Add(name);
    }

    private void Push(int index)
    {
        if (recordPaths)
            _path.Add(index);
    }

    private void Pop()
    {
        if (recordPaths)
            _path.RemoveAt(_path.Count - 1);
    }

    private JsonObject? Fail(string code, string message)
    {
        Error ??= CredentialError.Of(code, message);
        return null;
    }
}
