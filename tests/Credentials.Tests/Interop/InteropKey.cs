using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.Tests.Interop;

/// <summary>A P-256 key both sides can use: our signer, and the same key as a private JWK for the npm peer.</summary>
internal sealed class InteropKey
{
    private readonly ECParameters _parameters;

    private InteropKey(ECDsa key, string keyId)
    {
        _parameters = key.ExportParameters(includePrivateParameters: true);
        Signer = new EcdsaJwsSigner(key, keyId);
    }

    public static InteropKey Create(string keyId) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), keyId);

    public EcdsaJwsSigner Signer { get; }

    public EcPublicJwk PublicJwk => Signer.PublicJwk;

    public JsonObject PublicJwkJson() => PublicJwk.ToJson();

    public JsonObject PrivateJwkJson()
    {
        var jwk = PublicJwk.ToJson();
        jwk["d"] = Base64UrlStrict.Encode(_parameters.D);
        return jwk;
    }
}
