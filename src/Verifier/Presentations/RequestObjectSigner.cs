using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Passport.Credentials.Jose;

namespace Passport.Verifier.Presentations;

/// <summary>
/// The certificate and P-256 key that sign request objects. OpenID4VP 1.0 §5.9.3 <c>x509_hash</c>: the client identifier
/// is the base64url SHA-256 of the DER leaf certificate sent in the request object's <c>x5c</c> header.
/// </summary>
public sealed class RequestSigningOptions
{
    public const string Section = "Verifier:RequestSigning";

    /// <summary>PEM file with the leaf certificate first, then any intermediates. Without it a self-signed certificate is made at start-up.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM file with the leaf certificate's P-256 private key.</summary>
    public string? KeyPath { get; set; }
}

/// <summary>
/// Signs OpenID4VP request objects (RFC 9101 JAR, <c>typ: oauth-authz-req+jwt</c>). The <c>x509_hash</c> prefix is used
/// because a request passed by reference must be signed, and <c>redirect_uri:</c> forbids signing (§5.9.3).
/// </summary>
internal sealed partial class RequestObjectSigner : IDisposable
{
    public const string MediaType = "application/oauth-authz-req+jwt";

    private readonly X509Certificate2 _certificate;
    private readonly ECDsa _key;
    private readonly EcdsaJwsSigner _signer;
    private readonly JsonArray _x5c;

    public RequestObjectSigner(IOptions<RequestSigningOptions> options, IHostEnvironment environment, ILogger<RequestObjectSigner> log, TimeProvider time)
    {
        var o = options.Value;
        X509Certificate2Collection chain;
        if (!string.IsNullOrWhiteSpace(o.CertificatePath) && !string.IsNullOrWhiteSpace(o.KeyPath))
        {
            chain = [];
            chain.ImportFromPemFile(o.CertificatePath);
            _key = ECDsa.Create();
            _key.ImportFromPem(File.ReadAllText(o.KeyPath));
            _certificate = chain[0];
        }
        else
        {
            if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
                LogSelfSigned(log, RequestSigningOptions.Section);
            _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Passport Verifier", _key, HashAlgorithmName.SHA256);
            // It issues each organisation's certificate (see ClientCertificateFor), so it says it may.
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.DigitalSignature, true));
            var now = time.GetUtcNow();
            _certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
            chain = [_certificate];
        }
        if (_key.KeySize != 256)
            throw new InvalidOperationException($"{RequestSigningOptions.Section}: the request signing key must be a P-256 key.");
        _x5c = new JsonArray([.. chain.Select(c => (JsonNode)JsonValue.Create(Convert.ToBase64String(c.RawData)))]);
        _signer = new EcdsaJwsSigner(_key, "request-signing");
        _time = time;
    }

    private readonly TimeProvider _time;

    /// <summary>OpenID4VP 1.0 §5.9.3: the client identifier a certificate gives, <c>x509_hash:</c> and its DER's SHA-256.</summary>
    public static string ClientIdOf(byte[] certificate) => "x509_hash:" + Base64UrlStrict.Encode(SHA256.HashData(certificate));

    /// <summary>
    /// A certificate naming one organisation (CN its name, OU its ODS code) for this service's request signing key, issued by
    /// the configured certificate. Each organisation then has a client identifier of its own and a wallet can show its name.
    /// </summary>
    public byte[] ClientCertificateFor(string odsCode, string name)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        subject.AddOrganizationalUnitName("ODS " + odsCode);
        var request = new CertificateRequest(subject.Build(), _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var now = _time.GetUtcNow();
        var notAfter = new DateTimeOffset(_certificate.NotAfter.ToUniversalTime());
        using var issued = request.Create(_certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddDays(-1),
            notAfter < now.AddYears(1) ? notAfter : now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        return issued.RawData;
    }

    /// <summary>Whether a stored organisation certificate is for the current key and issuer and valid for at least a day more.</summary>
    public bool IsCurrent(byte[] certificate)
    {
        try
        {
            using var loaded = X509CertificateLoader.LoadCertificate(certificate);
            using var key = loaded.GetECDsaPublicKey();
            return key is not null
                && key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(_key.ExportSubjectPublicKeyInfo())
                && loaded.IssuerName.RawData.AsSpan().SequenceEqual(_certificate.SubjectName.RawData)
                && new DateTimeOffset(loaded.NotAfter.ToUniversalTime()) > _time.GetUtcNow().AddDays(1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Signs with the organisation's certificate first in <c>x5c</c>, then the configured chain.</summary>
    public ValueTask<string> SignAsync(JsonObject payload, byte[] clientCertificate, CancellationToken cancellationToken)
    {
        var x5c = new JsonArray(JsonValue.Create(Convert.ToBase64String(clientCertificate)));
        foreach (var c in _x5c)
            x5c.Add(c!.DeepClone());
        var header = new JsonObject { ["typ"] = "oauth-authz-req+jwt", ["x5c"] = x5c };
        return CompactJws.SignAsync(header, payload, _signer, _signer.Reference, cancellationToken);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Section}: no certificate is configured, so request objects are signed with a self-signed certificate that wallets will not trust. Set CertificatePath and KeyPath.")]
    private static partial void LogSelfSigned(ILogger logger, string section);
}
