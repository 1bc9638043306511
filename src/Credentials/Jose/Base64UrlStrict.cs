using System.Buffers.Text;

namespace Passport.Credentials.Jose;

/// <summary>Base64url without padding or whitespace (RFC 7515 §2); anything else is rejected, not repaired.</summary>
public static class Base64UrlStrict
{
    public static string Encode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        // Length mod 4 == 1 can never be produced by an encoder.
        if (text.Length % 4 == 1 || !IsAlphabet(text))
            return false;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            // Non-zero leftover bits in the last character: not a canonical encoding (RFC 4648 §3.5).
            return false;
        }
    }

    public static bool IsAlphabet(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
                return false;
        }
        return true;
    }
}
