using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Passport.Credentials.Jose;

/// <summary>A P-256 public key as a JWK (RFC 7517/7518). Parsing checks the point is on the curve.</summary>
public sealed class EcPublicJwk
{
    private ECDsa? _verifier;

    // Kept: a cached holder key is asked for its thumbprint on every presentation.
    private string? _thumbprint;

    private EcPublicJwk(string x, string y, byte[] xBytes, byte[] yBytes, string? kid)
    {
        X = x;
        Y = y;
        XBytes = xBytes;
        YBytes = yBytes;
        KeyId = kid;
    }

    public string X { get; }
    public string Y { get; }
    public string? KeyId { get; }
    internal byte[] XBytes { get; }
    internal byte[] YBytes { get; }

    public static EcPublicJwk FromECDsa(ECDsa key, string? kid = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ArgumentException("Only P-256 keys are supported.", nameof(key));
        return new EcPublicJwk(Base64UrlStrict.Encode(p.Q.X!), Base64UrlStrict.Encode(p.Q.Y!), p.Q.X!, p.Q.Y!, kid);
    }

    /// <summary>Reads a public P-256 JWK. Returns an error code when it is not one, or not a point on the curve.</summary>
    public static bool TryParse(JsonNode? node, out EcPublicJwk jwk, out string error) => TryParse(node, importNow: false, out jwk, out error);

    /// <summary>
    /// With <paramref name="importNow"/>, for a key about to verify a signature: imported into the platform's ECDsa at once,
    /// and that import's own validation (OpenSSL checks the point is on the curve) stands in for the managed check, which
    /// would only repeat it. Either way a key is refused with the same code.
    /// </summary>
    internal static bool TryParse(JsonNode? node, bool importNow, out EcPublicJwk jwk, out string error)
    {
        jwk = null!;
        error = "invalid_jwk";
        if (node is not JsonObject o)
            return false;
        if (Str(o, "kty") != "EC" || Str(o, "crv") != "P-256")
        {
            error = "unsupported_key_type";
            return false;
        }
        if (o.ContainsKey("d"))
        {
            error = "private_key_in_jwk";
            return false;
        }
        var x = Str(o, "x");
        var y = Str(o, "y");
        if (x is null || y is null
            || !Base64UrlStrict.TryDecode(x, out var xb) || !Base64UrlStrict.TryDecode(y, out var yb)
            || xb.Length != 32 || yb.Length != 32)
            return false;
        // P-256 has cofactor 1, so a point on the curve is in the prime-order group: this check is complete.
        // It is done here in managed code because importing into the platform's ECDsa costs about as much as a verify,
        // and is deferred until a signature actually has to be checked.
        var key = new EcPublicJwk(x, y, xb, yb, Str(o, "kid"));
        if (importNow ? !P256.IsReduced(xb) || !P256.IsReduced(yb) || !key.TryImport() : !P256.IsOnCurve(xb, yb))
        {
            error = "key_not_on_curve";
            return false;
        }
        jwk = key;
        error = "";
        return true;
    }

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    private bool TryImport()
    {
        try
        {
            _verifier = CreateECDsa();
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private ECDsa CreateECDsa() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = XBytes, Y = YBytes },
    });

    /// <summary>RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order, base64url.</summary>
    public string Thumbprint() => _thumbprint ??= ComputeThumbprint();

    private string ComputeThumbprint()
    {
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{X}\",\"y\":\"{Y}\"}}";
        return Base64UrlStrict.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public JsonObject ToJson(bool includeKid = true)
    {
        var o = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = X, ["y"] = Y };
        if (includeKid && KeyId is not null)
            o["kid"] = KeyId;
        return o;
    }

    public EcPublicJwk WithKeyId(string kid) => new(X, Y, XBytes, YBytes, kid) { _verifier = _verifier };

    /// <summary>Verifies a raw R||S ES256 signature. Any other length is simply not a valid signature.</summary>
    public bool VerifyEs256(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64)
            return false;
        try
        {
            _verifier ??= CreateECDsa();
        }
        catch (CryptographicException)
        {
            return false;
        }
        // One ECDsa per key is shared by concurrent verifications; OpenSSL 3 creates a fresh context per operation.
        // VerifyData is exactly this: SHA-256 of the input, then the signature over the hash.
        Span<byte> hash = stackalloc byte[32];
        Sha256.Hash(signingInput, hash);
        return _verifier.VerifyHash(hash, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>
    /// Frees the imported key now, for a key that only its caller holds (a holder key no cache kept): left to the finalizer,
    /// each such key survives a collection and is freed on another thread. A later verification imports it again.
    /// </summary>
    internal bool IsImported => _verifier is not null;

    internal void ReleaseVerifier()
    {
        var verifier = _verifier;
        _verifier = null;
        verifier?.Dispose();
    }

    public bool SameKeyAs(EcPublicJwk other) =>
        other is not null && XBytes.AsSpan().SequenceEqual(other.XBytes) && YBytes.AsSpan().SequenceEqual(other.YBytes);
}

internal static class P256
{
    private static readonly BigInteger P = Parse("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
    private static readonly BigInteger B = Parse("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");

    /// <summary>y² ≡ x³ − 3x + b (mod p), with both coordinates reduced (SEC 1 §3.2.2.1).</summary>
    public static bool IsOnCurve(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (!IsReduced(x) || !IsReduced(y))
            return false;
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        var left = BigInteger.ModPow(by, 2, P);
        var right = (BigInteger.ModPow(bx, 3, P) - (3 * bx) + B) % P;
        if (right.Sign < 0)
            right += P;
        return left == right;
    }

    private static ReadOnlySpan<byte> PBytes =>
    [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    ];

    /// <summary>A 32-byte big-endian coordinate below p (SEC 1 §3.2.2.1 (2)): the import would silently reduce a larger one.</summary>
    public static bool IsReduced(ReadOnlySpan<byte> coordinate) => coordinate.Length == 32 && coordinate.SequenceCompareTo(PBytes) < 0;

    private static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
}
