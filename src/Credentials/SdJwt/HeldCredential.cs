using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>A claim path as in OpenID4VP DCQL: member names, array indexes, and null for "every element".</summary>
public sealed record ClaimPath(IReadOnlyList<object?> Segments)
{
    public static ClaimPath Of(params object?[] segments) => new(segments);

    /// <summary>True when this path names <paramref name="other"/> or something inside it.</summary>
    internal bool Covers(IReadOnlyList<object> other)
    {
        if (Segments.Count > other.Count)
            return false;
        for (var i = 0; i < Segments.Count; i++)
        {
            if (Segments[i] is null)
                continue;
            if (!Equals(Segments[i], other[i]))
                return false;
        }
        return true;
    }

    /// <summary>True when <paramref name="other"/> lies on the way to this path (an ancestor that must be disclosed too).</summary>
    internal bool PassesThrough(IReadOnlyList<object> other)
    {
        if (other.Count > Segments.Count)
            return false;
        for (var i = 0; i < other.Count; i++)
        {
            if (Segments[i] is not null && !Equals(Segments[i], other[i]))
                return false;
        }
        return true;
    }

    public override string ToString() => string.Join('.', Segments.Select(s => s?.ToString() ?? "*"));
}

/// <summary>What the holder needs to bind a presentation to one verifier and one request.</summary>
public sealed record KeyBindingRequest(string Audience, string Nonce, DateTimeOffset IssuedAt);

/// <summary>
/// An SD-JWT as the holder keeps it: the issuer-signed JWT and every disclosure, with the claim path
/// each disclosure reveals, so the holder can present exactly the claims a verifier asked for.
/// </summary>
public sealed class HeldCredential
{
    private readonly Dictionary<string, IReadOnlyList<object>> _paths;

    private HeldCredential(SdJwtParts parts, CompactJws jwt, IReadOnlyList<Disclosure> disclosures, Dictionary<string, IReadOnlyList<object>> paths, JsonObject claims)
    {
        IssuerJwt = parts.IssuerJwt;
        Jwt = jwt;
        Disclosures = disclosures;
        _paths = paths;
        Claims = claims;
    }

    public string IssuerJwt { get; }
    public CompactJws Jwt { get; }
    public IReadOnlyList<Disclosure> Disclosures { get; }

    /// <summary>Every claim, with all disclosures applied: what the holder can see.</summary>
    public JsonObject Claims { get; }

    public string? Vct => Jwt.Payload.GetString("vct");
    public string? Issuer => Jwt.Payload.GetString("iss");

    public IReadOnlyList<object> PathOf(Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        return _paths[disclosure.Digest];
    }

    /// <summary>Reads an issued SD-JWT. The issuer's signature is not checked here; a wallet verifies it separately.</summary>
    public static bool TryParse(string issued, out HeldCredential credential, out CredentialError? error)
    {
        credential = null!;
        if (!SdJwtParts.TryParse(issued, SdJwtLimits.Default, out var parts, out error))
            return false;
        if (!CompactJws.TryParse(parts.IssuerJwt, out var jwt, out error))
            return false;
        var byDigest = new Dictionary<string, Disclosure>(StringComparer.Ordinal);
        var list = new List<Disclosure>();
        foreach (var encoded in parts.Disclosures)
        {
            if (!Disclosure.TryParse(encoded, out var d, out error))
                return false;
            if (!byDigest.TryAdd(d.Digest, d))
            {
                error = CredentialError.Of(ErrorCodes.DuplicateDisclosure, "The same disclosure is present twice.");
                return false;
            }
            list.Add(d);
        }
        var walker = new DisclosureWalker(byDigest);
        if (walker.ProcessObject(jwt.Payload, topLevel: true) is not { } claims)
        {
            error = walker.Error;
            return false;
        }
        if (walker.UsedCount != byDigest.Count)
        {
            error = CredentialError.Of(ErrorCodes.UnreferencedDisclosure, "A disclosure is not referenced by the credential.");
            return false;
        }
        claims.Remove("_sd_alg");
        credential = new HeldCredential(parts, jwt, list, walker.Paths, claims);
        return true;
    }

    /// <summary>
    /// The disclosures needed to reveal the requested claims: each requested claim's own disclosure,
    /// everything inside it, and the disclosures of the claims on the way to it.
    /// </summary>
    public IReadOnlyList<Disclosure> Select(IEnumerable<ClaimPath> requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var paths = requested.ToList();
        return [.. Disclosures.Where(d => paths.Any(p => p.Covers(_paths[d.Digest]) || p.PassesThrough(_paths[d.Digest])))];
    }

    /// <summary>The SD-JWT with the chosen disclosures and no key binding (ends with '~').</summary>
    public string Present(IEnumerable<Disclosure> disclosures)
    {
        ArgumentNullException.ThrowIfNull(disclosures);
        return IssuerJwt + "~" + string.Concat(disclosures.Select(d => d.Encoded + "~"));
    }

    /// <summary>The SD-JWT with the chosen disclosures and a KB-JWT signed by the holder key (RFC 9901 §4.3).</summary>
    public async ValueTask<string> PresentAsync(
        IEnumerable<Disclosure> disclosures, KeyBindingRequest binding, IJwsSigner holder, SigningKeyReference holderKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var sdJwt = Present(disclosures);
        var header = new JsonObject { ["typ"] = "kb+jwt" };
        var payload = new JsonObject
        {
            ["iat"] = binding.IssuedAt.ToUnixTimeSeconds(),
            ["aud"] = binding.Audience,
            ["nonce"] = binding.Nonce,
            ["sd_hash"] = SdJwtVcVerifier.SdHash(sdJwt),
        };
        return sdJwt + await CompactJws.SignAsync(header, payload, holder, holderKey, cancellationToken).ConfigureAwait(false);
    }
}
