using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Benchmarks;

/// <summary>
/// The steps of <see cref="SdJwtVcVerifier.VerifyAsync"/> one by one, on the same presentation as
/// <see cref="CredentialBenchmarks.VerifyAsync"/>, to see where a verify spends its time beyond the two signatures.
/// </summary>
[MemoryDiagnoser]
public class VerifyBreakdownBenchmarks
{
    private readonly Fixture _fixture = new();
    private string _presentation = "";
    private SdJwtParts _parts = null!;
    private CompactJws _jwt = null!;
    private CompactJws _kb = null!;
    private Dictionary<string, Disclosure> _byDigest = null!;
    private JsonNode _cnfJwk = null!;
    private EcPublicJwk _issuerKey = null!;
    private EcPublicJwk _holderKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        var issued = SdJwtVcIssuer.IssueAsync(_fixture.Request(), _fixture.IssuerKey, _fixture.IssuerKey.Reference, CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
        if (!HeldCredential.TryParse(issued.Serialized, out var held, out var error))
            throw new InvalidOperationException(error?.ToString());
        _presentation = held.PresentAsync(held.Disclosures, _fixture.Binding(), _fixture.HolderKey, _fixture.HolderKey.Reference, CancellationToken.None)
            .AsTask().GetAwaiter().GetResult();
        if (!SdJwtParts.TryParse(_presentation, SdJwtLimits.Default, out _parts, out error)
            || !CompactJws.TryParse(_parts.IssuerJwt, out _jwt, out error)
            || !CompactJws.TryParse(_parts.KeyBindingJwt!, out _kb, out error))
            throw new InvalidOperationException(error?.ToString());
        _byDigest = ParseDisclosures();
        _cnfJwk = _jwt.Payload["cnf"]!["jwk"]!;
        _issuerKey = _fixture.IssuerKey.PublicJwk;
        _holderKey = ImportHolderKey();
        if (!IssuerSignature() || !KeyBindingSignatureCachedKey() || WalkDisclosures() is null)
            throw new InvalidOperationException("The breakdown fixture does not verify.");
    }

    [Benchmark]
    public SdJwtParts SplitParts() =>
        SdJwtParts.TryParse(_presentation, SdJwtLimits.Default, out var parts, out _) ? parts : throw new InvalidOperationException();

    [Benchmark]
    public CompactJws ParseIssuerJwt() =>
        CompactJws.TryParse(_parts.IssuerJwt, out var jws, out _) ? jws : throw new InvalidOperationException();

    [Benchmark]
    public bool IssuerSignature() => _jwt.VerifyWith(_issuerKey);

    [Benchmark]
    public Dictionary<string, Disclosure> ParseDisclosures()
    {
        var byDigest = new Dictionary<string, Disclosure>(StringComparer.Ordinal);
        foreach (var encoded in _parts.Disclosures)
        {
            if (!Disclosure.TryParse(encoded, out var d, out _))
                throw new InvalidOperationException();
            byDigest.Add(d.Digest, d);
        }
        return byDigest;
    }

    [Benchmark]
    public string DisclosureDigests()
    {
        var last = "";
        foreach (var encoded in _parts.Disclosures)
            last = Disclosure.ComputeDigest(encoded);
        return last;
    }

    [Benchmark]
    public JsonObject? WalkDisclosures() => new DisclosureWalker(_byDigest).ProcessObject(_jwt.Payload, topLevel: true);

    [Benchmark]
    public EcPublicJwk ImportHolderKey() =>
        EcPublicJwk.TryParse(_cnfJwk, out var key, out _) ? key : throw new InvalidOperationException();

    [Benchmark]
    public CompactJws ParseKeyBindingJwt() =>
        CompactJws.TryParse(_parts.KeyBindingJwt!, out var jws, out _) ? jws : throw new InvalidOperationException();

    [Benchmark]
    public bool KeyBindingSignatureCachedKey() => _kb.VerifyWith(_holderKey);

    [Benchmark]
    public bool KeyBindingSignatureFreshKey() =>
        EcPublicJwk.TryParse(_cnfJwk, out var key, out _) && _kb.VerifyWith(key);

    [Benchmark]
    public string SdHash() => SdJwtVcVerifier.SdHash(_parts.WithoutKeyBinding);
}
