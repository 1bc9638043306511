using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using Passport.Credentials.Jose;

namespace Passport.Issuer.Offers;

/// <summary>The random secrets of the pre-authorized code flow, and the hashes that are all the database keeps for lookups.</summary>
internal static class OfferSecrets
{
    public const int TxCodeLength = 6;

    /// <summary>Long enough for a wallet to collect the credentials and tell us what the member of staff decided.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(30);

    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Data Protection purpose for the pre-authorized code kept for re-showing the QR code.</summary>
    public const string ProtectorPurpose = "Passport.Issuer.Offers.PreAuthorizedCode.v1";

    public static string NewToken() => Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));

    public static string NewTxCode() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>SHA-256, lower-case hex: 64 characters. Only for secrets of 256 random bits; a tx_code uses <see cref="TxCodeDigests"/>.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>The access token of an <c>Authorization: Bearer</c> header (RFC 6750 §2.1), or null.</summary>
    public static string? BearerToken(StringValues authorization)
    {
        if (authorization.Count != 1 || authorization[0] is not { } header)
            return null;
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return null;
        var token = header[scheme.Length..].Trim();
        return token.Length is > 0 and <= 200 ? token : null;
    }
}
