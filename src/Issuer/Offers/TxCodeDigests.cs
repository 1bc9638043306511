using System.Security.Cryptography;
using System.Text;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Offers;

/// <summary>
/// The digest kept of an offer's 6-digit tx_code. A bare hash of a million possible values is reversed in a second by
/// anyone who reads the table, so it is an HMAC under a key derived from the KEK, over the offer's pre-authorized code
/// hash as well, so the same digits give a different digest on every offer.
/// </summary>
internal sealed class TxCodeDigests(LocalKeyProtector protector)
{
    private readonly byte[] _key = protector.DeriveKey("passport-offer-tx-code-digest");

    /// <summary>HMAC-SHA-256, lower-case hex: 64 characters.</summary>
    public string Digest(string txCode, string preAuthorizedCodeHash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{preAuthorizedCodeHash}\n{txCode}")));

    public bool Matches(string txCode, string preAuthorizedCodeHash, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Digest(txCode, preAuthorizedCodeHash)), Encoding.ASCII.GetBytes(expected));
}
