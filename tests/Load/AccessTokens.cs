using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Load;

/// <summary>
/// The identity provider of the run: one P-256 key in a PEM file. <c>auth-settings</c> prints the Verifier's <c>Auth__*</c>
/// settings for it (one NAME=value a line, for <c>env</c>); the run signs a verifier's access token with it, so requests authenticate as in production.
/// </summary>
internal static class AccessTokens
{
    public const string Issuer = "https://login.load.passport.test";
    public const string Audience = "passport-api";

    /// <summary>Creates the key file when it is missing and prints <c>Auth__Name=value</c> lines.</summary>
    public static int PrintAuthSettings(string keyFile)
    {
        if (!File.Exists(keyFile))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        }
        var jwk = Load(keyFile).PublicJwk.ToJson();
        jwk["alg"] = "ES256";
        jwk["use"] = "sig";
        var jwks = new JsonObject { ["keys"] = new JsonArray(jwk) }.ToJsonString();
        Console.WriteLine($"Auth__Issuer={Issuer}");
        Console.WriteLine($"Auth__Audience={Audience}");
        Console.WriteLine($"Auth__SigningKeys={jwks}");
        Console.WriteLine("Auth__RequireHttpsMetadata=false");
        return 0;
    }

    public static EcdsaJwsSigner Load(string keyFile)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyFile));
        return new EcdsaJwsSigner(key, "load-idp-" + EcPublicJwk.FromECDsa(key).Thumbprint()[..16]);
    }

    /// <summary>An access token for a verifier at <paramref name="odsCode"/>, valid for the whole run.</summary>
    public static ValueTask<string> MintAsync(EcdsaJwsSigner key, string odsCode, TimeProvider time)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return CompactJws.SignAsync(
            new JsonObject { ["typ"] = "JWT", ["kid"] = key.KeyId },
            new JsonObject
            {
                ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = $"load-{odsCode}", ["org"] = odsCode, ["roles"] = new JsonArray("verifier", "org_admin"),
                ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
            },
            key, key.Reference, CancellationToken.None);
    }
}
