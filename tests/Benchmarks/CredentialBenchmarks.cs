using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Passport.Credentials.SdJwt;

namespace Passport.Benchmarks;

/// <summary>
/// Issue, present and verify one SD-JWT VC, next to raw ES256 sign and verify of an input the size of its signing input.
/// The Ratio column is relative to one raw ES256 verify; the target is a full verify at most 2.5 (1.25 × two verifies).
/// </summary>
[MemoryDiagnoser]
public class CredentialBenchmarks : IDisposable
{
    private static readonly ClaimPath[] Requested = [.. Fixture.Disclosable.Select(n => ClaimPath.Of(n))];

    private readonly Fixture _fixture = new();
    private readonly ECDsa _rawPrivate = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private ECDsa _rawPublic = null!;
    private SdJwtVcRequest _request = null!;
    private SdJwtVcVerifier _verifier = null!;
    private SdJwtVcVerifier _coldVerifier = null!;
    private PresentationPolicy _policy = null!;
    private string _issued = "";
    private string _presentation = "";
    private byte[] _rawInput = [];
    private byte[] _rawSignature = [];

    [GlobalSetup]
    public void Setup()
    {
        _request = _fixture.Request();
        _verifier = _fixture.Verifier();
        _coldVerifier = _fixture.Verifier(holderKeyCacheSize: 0);
        _policy = Fixture.Policy();
        _issued = IssueAsync().AsTask().GetAwaiter().GetResult().Serialized;
        _presentation = PresentAsync().AsTask().GetAwaiter().GetResult();
        var result = VerifyAsync().AsTask().GetAwaiter().GetResult();
        if (!result.IsValid || result.Credential!.Disclosures.Count != Fixture.Disclosable.Length || !result.Credential.KeyBound)
            throw new InvalidOperationException($"The benchmark presentation does not verify: {result.Error}");

        // The raw baselines sign and verify exactly the issuer JWT's signing input.
        var issuerJwt = _presentation[.._presentation.IndexOf('~', StringComparison.Ordinal)];
        _rawInput = Encoding.ASCII.GetBytes(issuerJwt[..issuerJwt.LastIndexOf('.')]);
        _rawPublic = ECDsa.Create(_rawPrivate.ExportParameters(includePrivateParameters: false));
        _rawSignature = RawSign();
        if (!RawVerify())
            throw new InvalidOperationException("The raw ES256 baseline does not verify.");
    }

    [Benchmark]
    public byte[] RawSign() =>
        _rawPrivate.SignData(_rawInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark(Baseline = true)]
    public bool RawVerify() =>
        _rawPublic.VerifyData(_rawInput, _rawSignature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    [Benchmark]
    public ValueTask<IssuedSdJwt> IssueAsync() =>
        SdJwtVcIssuer.IssueAsync(_request, _fixture.IssuerKey, _fixture.IssuerKey.Reference, CancellationToken.None);

    [Benchmark]
    public ValueTask<string> PresentAsync()
    {
        if (!HeldCredential.TryParse(_issued, out var held, out var error))
            throw new InvalidOperationException(error?.ToString());
        var chosen = held.Select(Requested);
        return held.PresentAsync(chosen, _fixture.Binding(), _fixture.HolderKey, _fixture.HolderKey.Reference, CancellationToken.None);
    }

    [Benchmark]
    public ValueTask<CredentialVerification> VerifyAsync() =>
        _verifier.VerifyAsync(_presentation, _policy, CancellationToken.None);

    /// <summary>The holder's key is seen for the first time: its import into ECDsa (a validating scalar multiplication) is paid.</summary>
    [Benchmark]
    public ValueTask<CredentialVerification> VerifyFirstSeenHolderAsync() =>
        _coldVerifier.VerifyAsync(_presentation, _policy, CancellationToken.None);

    /// <summary>A raw verify that also imports the public key first: the fair baseline for a first-seen holder key.</summary>
    [Benchmark]
    public bool RawImportAndVerify()
    {
        using var key = ECDsa.Create(_rawPublic.ExportParameters(includePrivateParameters: false));
        return key.VerifyData(_rawInput, _rawSignature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose()
    {
        _rawPrivate.Dispose();
        _rawPublic?.Dispose();
        GC.SuppressFinalize(this);
    }
}
