using System.Buffers;
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

    /// <summary>Decodes into <paramref name="destination"/> (at least <c>Base64Url.GetMaxDecodedLength</c> bytes), with the same rules.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length % 4 == 1 || !IsAlphabet(text))
            return false;
        return Base64Url.DecodeFromChars(text, destination, out _, out written) == OperationStatus.Done;
    }

    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    // Vectorised: a JWT payload is a kilobyte or more of these characters, checked before every decode.
    public static bool IsAlphabet(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(Alphabet);
}
