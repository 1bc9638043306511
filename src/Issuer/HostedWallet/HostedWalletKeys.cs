using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Issuer.Keys;

namespace Passport.Issuer.HostedWallet;

/// <summary>
/// Makes and opens hosted wallets' holder keys. The private key is sealed with the Issuer's key-encryption key (AES-256-GCM);
/// the associated data names the organisation and the person, so a ciphertext copied onto another person's row does not open.
/// </summary>
internal sealed class HostedWalletKeys(LocalKeyProtector protector)
{
    public HostedWallet Create(string odsCode, Guid staffId, string createdBy, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            return new HostedWallet
            {
                OdsCode = odsCode, StaffId = staffId, CreatedBy = createdBy, CreatedAt = now,
                PublicJwk = EcPublicJwk.FromECDsa(key).ToJson(includeKid: false).ToJsonString(),
                ProtectedPrivateKey = protector.Seal(pkcs8, AssociatedData(odsCode, staffId)),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    public static EcPublicJwk PublicKeyOf(HostedWallet wallet) =>
        EcPublicJwk.TryParse(JsonNode.Parse(wallet.PublicJwk), out var jwk, out _)
            ? jwk
            : throw new InvalidOperationException($"Hosted wallet {wallet.Id} has a public key that is not a P-256 JWK.");

    /// <summary>A signer over the wallet's private key; the caller disposes it as soon as the presentation is signed.</summary>
    public HolderSigner Open(HostedWallet wallet)
    {
        var pkcs8 = protector.Open(wallet.ProtectedPrivateKey, AssociatedData(wallet.OdsCode, wallet.StaffId),
            $"The holder key of hosted wallet {wallet.Id} is not in a format this service reads.");
        try
        {
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return new HolderSigner(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static byte[] AssociatedData(string odsCode, Guid staffId) => Encoding.UTF8.GetBytes($"passport-hosted-wallet-key\n{odsCode}\n{staffId}");

    internal sealed class HolderSigner(ECDsa key) : IDisposable
    {
        public EcdsaJwsSigner Signer { get; } = new(key, "holder");

        internal ECDsa Key => key;

        public void Dispose() => key.Dispose();
    }
}
