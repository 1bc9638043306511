using System.Text;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>
/// <see cref="Disclosure.TryParse"/> reads the common disclosure in one reader pass and leaves the rest to the strict parser:
/// whatever the text, both must accept the same disclosures, with the same salt, name and value, and refuse the same ones
/// with the same code.
/// </summary>
public sealed class DisclosureParsingTests
{
    public static TheoryData<string> Texts => new()
    {
        """["salt","given_name","Alice"]""",
        """["salt","age",42]""",
        """["salt","ratio",1.50]""",
        """["salt","big",1e400]""",
        """["salt","on",true]""",
        """["salt","off",false]""",
        """["salt","nothing",null]""",
        """["salt","address",{"street":"1 High St","lines":[1,2,{"a":null}]}]""",
        """["salt","list",[]]""",
        """["salt","empty",{}]""",
        """["salt","Zoë","Café ☕"]""",
        """["salt","Alice"]""",
        """["salt",{"nested":true}]""",
        """["salt",7]""",
        """["salt",null]""",
        """ [ "salt" , "name" , "spaced" ] """,
        """["salt","name","with \"escape\""]""",
        """["salt","name","\ud800"]""",
        """["salt","name",{"a":1,"a":2}]""",
        """["salt",{"a":1,"a":2}]""",
        """["salt","_sd","x"]""",
        """["salt","...","x"]""",
        """["salt","_sd"]""",
        """[1,"name","x"]""",
        """[null,"x"]""",
        """["salt",2,"x"]""",
        """["salt"]""",
        """[]""",
        """["salt","a","b","c"]""",
        """["salt","name","x"] trailing""",
        """["salt","name","x"]]""",
        """["salt","name","x"],""",
        """["salt","name",]""",
        """["salt","name","x\""]""",
        """{"salt":"x"}""",
        "\"just a string\"",
        "[\"salt\",\"name\",\"tab\tinside\"]",
        """["salt","name",[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]""",
        """["salt","name",[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]""",
        """["salt","name",01]""",
        """["salt","name",tru]""",
        "",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_disclosure_parses_the_same_on_the_fast_path_as_on_the_strict_one(string json)
    {
        var encoded = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(json));
        AssertSameAsStrict(encoded);
    }

    [Fact]
    public void A_disclosure_of_invalid_utf8_or_non_canonical_base64url_is_refused_as_the_strict_parser_refuses_it()
    {
        AssertSameAsStrict(Base64UrlStrict.Encode([.. "[\"salt\",\"name\",\""u8, 0xC3, 0x28, .. "\"]"u8]));
        AssertSameAsStrict(Base64UrlStrict.Encode("[\"salt\",\"n\",1]"u8)[..^1] + "B");
        AssertSameAsStrict("WyJzYWx0IiwibiIsMV0=");
        AssertSameAsStrict("WyJzYWx0Ii wibiIsMV0");
        AssertSameAsStrict("W");
    }

    [Fact]
    public void Random_disclosures_parse_the_same_on_both_paths()
    {
        var random = new Random(20261206);
        string[] pieces = ["[", "]", "{", "}", ",", ":", "\"s\"", "\"name\"", "\"_sd\"", "1", "-0.5", "true", "null", "\"v\"", " ", "\\"];
        for (var i = 0; i < 5_000; i++)
        {
            var text = new StringBuilder("[\"salt\",");
            for (var n = random.Next(1, 12); n > 0; n--)
                text.Append(pieces[random.Next(pieces.Length)]);
            if (random.Next(2) == 0)
                text.Append(']');
            AssertSameAsStrict(Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(text.ToString())));
        }
    }

    private static void AssertSameAsStrict(string encoded)
    {
        var fast = Disclosure.TryParse(encoded, out var parsed, out var error);
        var strict = Disclosure.TryParseStrict(encoded, out var expected, out var expectedError);
        Assert.Equal(strict, fast);
        if (!strict)
        {
            Assert.Equal(expectedError!.Code, error!.Code);
            return;
        }
        Assert.Equal(expected.Encoded, parsed.Encoded);
        Assert.Equal(expected.Digest, parsed.Digest);
        Assert.Equal(expected.Salt, parsed.Salt);
        Assert.Equal(expected.Name, parsed.Name);
        Assert.Equal(expected.Value?.ToJsonString(), parsed.Value?.ToJsonString());
        Assert.Equal(expected.Value?.GetValueKind(), parsed.Value?.GetValueKind());
    }
}
