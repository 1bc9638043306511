using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>Where a credential's status lives in a Token Status List.</summary>
public sealed record StatusReference(long Index, string Uri)
{
    public JsonObject ToJson() => new() { ["status_list"] = new JsonObject { ["idx"] = Index, ["uri"] = Uri } };
}

/// <summary>What to put in an SD-JWT VC. Content only: which key signs it is the signer's business.</summary>
public sealed record SdJwtVcRequest
{
    public required string Issuer { get; init; }
    public required string Vct { get; init; }
    public required JsonObject Claims { get; init; }
    public DisclosureFrame Frame { get; init; } = DisclosureFrame.None;
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public EcPublicJwk? HolderKey { get; init; }
    public StatusReference? Status { get; init; }
    public string? Subject { get; init; }
}

/// <summary>An issued SD-JWT: the issuer-signed JWT and every disclosure, serialised for the holder.</summary>
public sealed record IssuedSdJwt(string IssuerJwt, IReadOnlyList<Disclosure> Disclosures)
{
    public string Serialized { get; } = IssuerJwt + "~" + string.Concat(Disclosures.Select(d => d.Encoded + "~"));
}

public static class SdJwtVcIssuer
{
    public const string MediaType = "dc+sd-jwt";

    /// <summary>Registered claims that SD-JWT VC never allows to be selectively disclosed, and that the request sets itself.</summary>
    public static readonly FrozenSet<string> NonDisclosable =
        FrozenSet.Create(StringComparer.Ordinal, "iss", "nbf", "exp", "cnf", "vct", "status");

    private static readonly FrozenSet<string> Reserved =
        FrozenSet.Create(StringComparer.Ordinal, "iss", "nbf", "exp", "iat", "cnf", "vct", "status", "sub", "_sd", "_sd_alg", "...");

    public static async ValueTask<IssuedSdJwt> IssueAsync(
        SdJwtVcRequest request, IJwsSigner signer, SigningKeyReference key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(key);
        foreach (var name in request.Claims.Select(c => c.Key))
        {
            if (Reserved.Contains(name))
                throw new ArgumentException($"'{name}' is set by the issuer from the request, not from the claims.", nameof(request));
        }
        foreach (var name in request.Frame.Claims)
        {
            if (NonDisclosable.Contains(name))
                throw new ArgumentException($"'{name}' can never be selectively disclosable.", nameof(request));
        }
        if (request.ExpiresAt <= request.IssuedAt)
            throw new ArgumentException("A credential must expire after it is issued.", nameof(request));

        var disclosures = new List<Disclosure>();
        var payload = (JsonObject)Conceal(request.Claims, request.Frame, disclosures)!;
        payload["iss"] = request.Issuer;
        payload["vct"] = request.Vct;
        payload["iat"] = request.IssuedAt.ToUnixTimeSeconds();
        payload["exp"] = request.ExpiresAt.ToUnixTimeSeconds();
        if (request.NotBefore is { } nbf)
            payload["nbf"] = nbf.ToUnixTimeSeconds();
        if (request.Subject is not null)
            payload["sub"] = request.Subject;
        if (request.HolderKey is not null)
            payload["cnf"] = new JsonObject { ["jwk"] = request.HolderKey.ToJson(includeKid: false) };
        if (request.Status is not null)
            payload["status"] = request.Status.ToJson();
        payload["_sd_alg"] = "sha-256";

        var header = new JsonObject { ["typ"] = MediaType, ["kid"] = key.KeyId };
        var jwt = await CompactJws.SignAsync(header, payload, signer, key, cancellationToken).ConfigureAwait(false);
        return new IssuedSdJwt(jwt, disclosures);
    }

    // RFC 9901 §4.2: inner claims are concealed first, so a disclosure's value carries its own _sd digests.
    private static JsonNode? Conceal(JsonNode? node, DisclosureFrame frame, List<Disclosure> disclosures)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var result = new JsonObject();
                var digests = new List<string>();
                foreach (var name in frame.Claims.Concat(frame.Nested.Keys))
                {
                    if (!obj.ContainsKey(name))
                        throw new ArgumentException($"The disclosure frame names '{name}', which the claims do not have; nothing would be concealed.");
                }
                foreach (var (name, value) in obj)
                {
                    var inner = frame.Nested.TryGetValue(name, out var nested)
                        ? Conceal(value, nested, disclosures)
                        : value?.DeepClone();
                    if (frame.Claims.Contains(name))
                    {
                        var disclosure = Disclosure.Create(name, inner);
                        disclosures.Add(disclosure);
                        digests.Add(disclosure.Digest);
                    }
                    else
                    {
                        result[name] = inner;
                    }
                }
                for (var i = 0; i < frame.Decoys; i++)
                    digests.Add(Base64UrlStrict.Encode(SHA256.HashData(RandomNumberGenerator.GetBytes(32))));
                if (digests.Count > 0)
                {
                    // Sorted, so the order reveals nothing about the original claim order (RFC 9901 §4.2.4.1).
                    digests.Sort(StringComparer.Ordinal);
                    result["_sd"] = new JsonArray([.. digests.Select(d => (JsonNode)d)]);
                }
                return result;
            }
            case JsonArray array:
            {
                // Frame notations often write indexes as strings ("0"); both forms mean the element.
                var elements = new HashSet<int>(frame.Elements);
                var nestedElements = new Dictionary<int, DisclosureFrame>(frame.NestedElements);
                foreach (var name in frame.Claims)
                    elements.Add(ParseIndex(name, array.Count));
                foreach (var (name, child) in frame.Nested)
                    nestedElements[ParseIndex(name, array.Count)] = child;
                foreach (var index in elements.Concat(nestedElements.Keys))
                {
                    if (index < 0 || index >= array.Count)
                        throw new ArgumentException($"The disclosure frame names element {index} of an array of {array.Count}; nothing would be concealed.");
                }
                var result = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    var inner = nestedElements.TryGetValue(i, out var nested)
                        ? Conceal(array[i], nested, disclosures)
                        : array[i]?.DeepClone();
                    if (elements.Contains(i))
                    {
                        var disclosure = Disclosure.Create(null, inner);
                        disclosures.Add(disclosure);
                        result.Add(new JsonObject { ["..."] = disclosure.Digest });
                    }
                    else
                    {
                        result.Add(inner);
                    }
                }
                return result;
            }
            default:
                if (frame.Claims.Count + frame.Elements.Count + frame.Nested.Count + frame.NestedElements.Count > 0)
                    throw new ArgumentException("The disclosure frame describes members of a value that is neither an object nor an array.");
                return node?.DeepClone();
        }
    }

    private static int ParseIndex(string name, int count) =>
        int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new ArgumentException($"The disclosure frame names '{name}' inside an array of {count}; array elements are chosen by index.");
}
