using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.Tests.Jose;

/// <summary>
/// <see cref="FlatJsonObject"/> and <see cref="JsonDomReader"/> read the common, clean JSON of a verification without
/// <see cref="StrictJson"/>'s document. Whatever the text, neither may accept what the strict parser refuses, and what they
/// accept must read exactly as the strict parser's object does; what they decline goes to the strict parser.
/// </summary>
public sealed class CleanJsonReaderTests
{
    public static TheoryData<string> Texts => new()
    {
        """{"alg":"ES256","typ":"dc+sd-jwt","kid":"issuer-key-1"}""",
        """{"iat":1795338000,"aud":"https://verifier.example","nonce":"n-1","sd_hash":"abc"}""",
        """ { "a" : 1 , "b" : "x" } """,
        "{}",
        """{"a":null,"b":true,"c":false}""",
        """{"a":1,"a":2}""",
        """{"alg":"ES256","al\u0067":"none"}""",
        """{"al\u0067":"ES256"}""",
        """{"_s\u0064":["x"]}""",
        """{"a":"\ud800"}""",
        """{"a":"tab\tinside"}""",
        """{"exp":1e400}""",
        """{"exp":-1e400}""",
        """{"exp":12345678901234567890}""",
        """{"exp":1795338000.75}""",
        """{"exp":1.7953380e9}""",
        """{"exp":-0}""",
        """{"exp":"1795338000"}""",
        """{"exp":01}""",
        """{"exp":1.}""",
        """{"a":1}  trailing""",
        """{"a":1}}""",
        """{"a":1},""",
        """{"a":1,}""",
        """{"a":1 /* comment */}""",
        """[1,2]""",
        "\"string\"",
        """{"Zoë":"Café ☕","zoe":"x"}""",
        """{"cnf":{"jwk":{"kty":"EC","crv":"P-256","x":"a","y":"b"}},"status":{"status_list":{"idx":42,"uri":"u"}}}""",
        """{"a":{"b":1,"b":2}}""",
        """{"a":[{"x":1},{"x":1,"x":2}]}""",
        """{"a":[1,"two",null,true,{"...":"d"},[[]]]}""",
        """{"_sd":["d1","d2"],"_sd_alg":"sha-256","iss":"i"}""",
        "{\"a\":" + new string('[', 31) + new string(']', 31) + "}",
        "{\"a\":" + new string('[', 32) + new string(']', 32) + "}",
        "{\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", 31)) + "1" + new string('}', 31) + "}",
        // Numbers at every depth, in objects and arrays, as the one-pass DOM places them after the read.
        """{"a":[1,[2.5,{"b":-3}],4e2,-0.0],"c":{"d":0,"e":[1E-7]},"f":12345678901234567890,"g":1795338000}""",
        "{\"n\":[" + string.Join(',', Enumerable.Range(0, 200).Select(i => i * 1_000_003L)) + "]}",
        "",
        "{",
        "\uFEFF{\"a\":1}",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_flat_object_accepts_only_what_the_strict_parser_accepts_and_reads_as_it_does(string json) =>
        AssertFlatAgrees(Encoding.UTF8.GetBytes(json));

    [Theory]
    [MemberData(nameof(Texts))]
    public void The_one_pass_DOM_accepts_only_what_the_strict_parser_accepts_and_reads_as_it_does(string json) =>
        AssertDomAgrees(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Invalid_utf8_is_declined_by_both_readers_as_the_strict_parser_refuses_it()
    {
        byte[][] texts = [[.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8], [.. "{\""u8, 0xFF, .. "\":1}"u8], [.. "{\"a\":1}"u8, 0x80], [.. "{\"a\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8]];
        foreach (var utf8 in texts)
        {
            Assert.False(StrictJson.TryParseObject(utf8, out _, out _));
            Assert.False(FlatJsonObject.TryRead(utf8, out _));
            Assert.False(JsonDomReader.TryReadObject(utf8, out _));
        }
    }

    [Fact]
    public void The_common_header_and_payload_are_read_by_the_clean_readers_not_declined()
    {
        Assert.True(FlatJsonObject.TryRead("""{"alg":"ES256","typ":"kb+jwt"}"""u8, out var flat));
        Assert.Equal("kb+jwt", flat!.GetString("typ"));
        Assert.True(JsonDomReader.TryReadObject("""{"iss":"i","cnf":{"jwk":{"x":"a"}},"_sd":["d"],"exp":1}"""u8, out var dom));
        Assert.Equal("a", dom!["cnf"]!["jwk"]!["x"]!.GetValue<string>());
    }

    [Fact]
    public void Random_texts_read_the_same_by_the_clean_readers_as_by_the_strict_parser()
    {
        var random = new Random(20261206);
        string[] pieces = ["{", "}", "[", "]", ",", ":", "\"a\"", "\"b\"", "\"_sd\"", "\"...\"", "1", "-0.5", "1e400", "9223372036854775808",
            "true", "null", "\"v\"", " ", "\\", "\"\\u0061\"", "é"];
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder("{");
            for (var n = random.Next(0, 14); n > 0; n--)
                text.Append(pieces[random.Next(pieces.Length)]);
            if (random.Next(2) == 0)
                text.Append('}');
            var utf8 = Encoding.UTF8.GetBytes(text.ToString());
            AssertFlatAgrees(utf8);
            AssertDomAgrees(utf8);
        }
    }

    private static readonly string[] Names = ["alg", "typ", "kid", "a", "b", "c", "exp", "iat", "aud", "nonce", "sd_hash", "_sd", "Zoë", "missing"];

    private static void AssertFlatAgrees(byte[] utf8)
    {
        var strict = StrictJson.TryParseObject(utf8, out var expected, out _);
        if (!FlatJsonObject.TryRead(utf8, out var flat))
            return;
        Assert.True(strict, "The flat reader accepted what the strict parser refuses: " + Encoding.UTF8.GetString(utf8));
        foreach (var (name, _) in expected)
            Assert.True(flat!.Contains(name));
        foreach (var name in Names.Concat(expected.Select(m => m.Key)))
        {
            Assert.Equal(expected.ContainsKey(name), flat!.Contains(name));
            Assert.Equal(expected.GetString(name), flat.GetString(name));
            var ok = expected.TryGetNumericDate(name, out var value, out var present);
            Assert.Equal(ok, flat.TryGetNumericDate(name, out var flatValue, out var flatPresent));
            Assert.Equal(present, flatPresent);
            Assert.Equal(value, flatValue);
        }
        Assert.True(JsonNode.DeepEquals(expected, flat!.ToJsonObject()));
    }

    private static void AssertDomAgrees(byte[] utf8)
    {
        var strict = StrictJson.TryParseObject(utf8, out var expected, out _);
        if (!JsonDomReader.TryReadObject(utf8, out var dom))
            return;
        Assert.True(strict, "The one-pass reader accepted what the strict parser refuses: " + Encoding.UTF8.GetString(utf8));
        Assert.Equal(expected.ToJsonString(), dom!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected, dom));
        AssertReadsAlike(expected, dom);
    }

    // Every value answers the typed reads the way the strict parser's does: kinds, strings, and every numeric type.
    private static void AssertReadsAlike(JsonNode? expected, JsonNode? actual)
    {
        Assert.Equal(expected?.GetValueKind(), actual?.GetValueKind());
        // Each node sits where the strict parser's does (a number is placed after the read, so this checks its parent too).
        Assert.Equal(expected?.GetPath(), actual?.GetPath());
        switch (expected)
        {
            case JsonObject o:
                Assert.Equal(o.Select(m => m.Key), actual!.AsObject().Select(m => m.Key));
                foreach (var (name, value) in o)
                    AssertReadsAlike(value, actual[name]);
                break;
            case JsonArray a:
                Assert.Equal(a.Count, actual!.AsArray().Count);
                for (var i = 0; i < a.Count; i++)
                    AssertReadsAlike(a[i], actual[i]);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var w = actual!.AsValue();
                Assert.Equal(v.TryGetValue<int>(out var i32), w.TryGetValue<int>(out var j32));
                Assert.Equal(i32, j32);
                Assert.Equal(v.TryGetValue<long>(out var i64), w.TryGetValue<long>(out var j64));
                Assert.Equal(i64, j64);
                Assert.Equal(v.TryGetValue<double>(out var d), w.TryGetValue<double>(out var e));
                Assert.Equal(d, e);
                Assert.Equal(v.TryGetValue<decimal>(out var m), w.TryGetValue<decimal>(out var n));
                Assert.Equal(m, n);
                break;
            case JsonValue v:
                Assert.Equal(v.TryGetValue<string>(out var s), actual!.AsValue().TryGetValue<string>(out var t));
                Assert.Equal(s, t);
                Assert.Equal(v.TryGetValue<bool>(out var b), actual.AsValue().TryGetValue<bool>(out var c));
                Assert.Equal(b, c);
                break;
        }
    }
}
