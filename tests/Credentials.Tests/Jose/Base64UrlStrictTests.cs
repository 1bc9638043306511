using Passport.Credentials.Jose;

namespace Passport.Credentials.Tests.Jose;

public sealed class Base64UrlStrictTests
{
    [Fact]
    public void Exactly_the_64_base64url_characters_are_in_the_alphabet()
    {
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var expected = c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_';
            // At the end of a long text too, where the check runs vectorised.
            var text = new string('A', 40) + c;
            Assert.True(expected == Base64UrlStrict.IsAlphabet([c]), $"U+{(int)c:X4} alone");
            Assert.True(expected == Base64UrlStrict.IsAlphabet(text), $"U+{(int)c:X4} after 40 letters");
        }
    }

    [Theory]
    [InlineData("eyJhIjoxfQ", true)]
    [InlineData("eyJhIjoxfQ==", false)]
    [InlineData("eyJhIjoxfR", false)]
    [InlineData("eyJhI joxfQ", false)]
    [InlineData("eyJhIj+xfQ", false)]
    [InlineData("e", false)]
    [InlineData("", true)]
    public void Decoding_into_a_buffer_accepts_what_decoding_to_an_array_accepts(string text, bool valid)
    {
        var buffer = new byte[64];

        Assert.Equal(valid, Base64UrlStrict.TryDecode(text, out var bytes));
        Assert.Equal(valid, Base64UrlStrict.TryDecode(text, buffer, out var written));
        if (valid)
            Assert.Equal(bytes, buffer[..written]);
    }
}
