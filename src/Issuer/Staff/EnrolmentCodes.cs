using System.Security.Cryptography;
using System.Text;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Staff;

/// <summary>
/// One-time codes that link a staff record to its member of staff's sign-in: 12 characters of Crockford's base32
/// (60 random bits), shown as XXXX-XXXX-XXXX. The database keeps only an HMAC under a key derived from the KEK.
/// </summary>
internal sealed class EnrolmentCodes(LocalKeyProtector protector)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 12;

    private readonly byte[] _key = protector.DeriveKey("passport-staff-enrolment-code");

    public static string New()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        var code = new string(chars);
        return $"{code[..4]}-{code[4..8]}-{code[8..]}";
    }

    /// <summary>The code as typed, without separators and in upper case (Crockford: O is 0, I and L are 1); null when it cannot be one.</summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null || typed.Length > 40)
            return null;
        var builder = new StringBuilder(Length);
        foreach (var c in typed.ToUpperInvariant())
        {
            if (c is '-' or ' ')
                continue;
            var mapped = c switch { 'O' => '0', 'I' or 'L' => '1', _ => c };
            if (!Alphabet.Contains(mapped, StringComparison.Ordinal))
                return null;
            builder.Append(mapped);
        }
        return builder.Length == Length ? builder.ToString() : null;
    }

    public string Digest(string normalised) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(normalised)));
}
