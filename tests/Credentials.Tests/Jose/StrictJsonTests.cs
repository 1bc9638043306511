using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.Jose;

/// <summary>RFC 8259 §8.1: JSON text exchanged between systems is UTF-8; anything else is refused, never half-read.</summary>
public sealed class StrictJsonTests
{
    private static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : p is byte b ? [b] : (byte[])p)];

    public static TheoryData<string, byte[], string> InvalidUtf8 => new()
    {
        { "member name", Bytes("{\"", (byte)0xFF, "\":1}"), "$" },
        { "string value", Bytes("{\"a\":\"x", (byte)0xC3, "\"}"), "$.a" },
        { "nested value", Bytes("{\"a\":{\"b\":[1,\"", (byte)0xED, (byte)0xA0, (byte)0x80, "\"]}}"), "$.a.b[1]" },
        { "lone surrogate escape", Bytes("{\"a\":\"\\ud800\"}"), "$.a" },
        { "outside any string", Bytes("{\"a\":1", (byte)0xFF, "}"), "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public void Invalid_utf8_is_refused_as_such_and_named(string where, byte[] json, string path)
    {
        var inspection = StrictJson.Inspect(json);

        Assert.Equal(JsonFlaw.InvalidUtf8, inspection.Flaw);
        Assert.Equal(path, inspection.Path);
        Assert.False(StrictJson.TryParseObject(json, out _, out _), where);
        Assert.False(StrictJson.TryParseNode(json, out _, out _), where);
    }

    [Fact]
    public void A_repeated_member_is_named_at_any_depth()
    {
        var inspection = StrictJson.Inspect("{\"a\":[{\"name\":1,\"name\":2}]}"u8);

        Assert.Equal(JsonFlaw.DuplicateMember, inspection.Flaw);
        Assert.Equal("$.a[0].name", inspection.Path);
    }

    [Theory]
    [InlineData("{\"a\":[{\"name\":1,\"name\":2}]}", "$.a[0].name")]
    [InlineData("{\"name\":1,\"name\":1}", "$.name")]
    [InlineData("[\"salt\",\"address\",{\"street\":\"x\",\"street\":\"y\"}]", "$[2].street")]
    public void Parsing_refuses_a_repeated_member_at_any_depth_and_names_it(string json, string path)
    {
        Assert.False(StrictJson.TryParseNode(Encoding.UTF8.GetBytes(json), out var node, out var inspection));

        Assert.Null(node);
        Assert.Equal(JsonFlaw.DuplicateMember, inspection.Flaw);
        Assert.Equal(path, inspection.Path);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":01}")]
    [InlineData("")]
    public void Parsing_refuses_malformed_json_as_malformed(string json)
    {
        Assert.False(StrictJson.TryParseNode(Encoding.UTF8.GetBytes(json), out _, out var inspection));

        Assert.Equal(JsonFlaw.Malformed, inspection.Flaw);
    }

    [Fact]
    public void Parsing_refuses_nesting_beyond_the_limit()
    {
        var deep = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);

        Assert.False(StrictJson.TryParseNode(Encoding.UTF8.GetBytes(deep), out _, out var inspection));

        Assert.NotEqual(JsonFlaw.None, inspection.Flaw);
    }

    [Fact]
    public void Parsing_sound_json_with_and_without_escapes_gives_the_same_values()
    {
        Assert.True(StrictJson.TryParseNode("{\"name\":\"Siân\",\"n\":[1,{\"x\":null}]}"u8, out var plain, out var first));
        Assert.True(StrictJson.TryParseNode("{\"name\":\"Si\\u00e2n\",\"n\":[1,{\"x\":null}]}"u8, out var escaped, out var second));

        Assert.True(first.IsSound);
        Assert.True(second.IsSound);
        Assert.True(JsonNode.DeepEquals(plain, escaped));
    }

    [Fact]
    public void Escapes_that_spell_the_same_name_are_the_same_member()
    {
        Assert.Equal(JsonFlaw.DuplicateMember, StrictJson.Inspect("{\"name\":1,\"n\\u0061me\":2}"u8).Flaw);
    }

    [Theory]
    [InlineData("{\"name\":\"a\\u0000b\"}", "$.name")]
    [InlineData("{\"name\":\"a\\u001bb\"}", "$.name")]
    [InlineData("{\"name\":\"a\\u007fb\"}", "$.name")]
    [InlineData("{\"list\":[\"ok\",\"a\\u0085\"]}", "$.list[1]")]
    [InlineData("{\"a\\u0000\":1}", "$")]
    public void Control_characters_are_refused_when_asked_and_named(string json, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        Assert.Equal(JsonFlaw.None, StrictJson.Inspect(bytes).Flaw);

        var inspection = StrictJson.Inspect(bytes, refuseControlCharacters: true);

        Assert.Equal(JsonFlaw.ControlCharacter, inspection.Flaw);
        Assert.Equal(path, inspection.Path);
    }

    [Fact]
    public void Tabs_and_line_breaks_in_text_are_not_control_characters_to_refuse()
    {
        Assert.Equal(JsonFlaw.None, StrictJson.Inspect("{\"note\":\"line one\\r\\nline two\\tend\"}"u8, refuseControlCharacters: true).Flaw);
    }

    [Theory]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{'a':1}")]
    [InlineData("")]
    public void Malformed_json_is_malformed(string json) =>
        Assert.Equal(JsonFlaw.Malformed, StrictJson.Inspect(Encoding.UTF8.GetBytes(json)).Flaw);

    [Fact]
    public void Nesting_beyond_the_limit_is_refused()
    {
        var deep = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);
        Assert.NotEqual(JsonFlaw.None, StrictJson.Inspect(Encoding.UTF8.GetBytes(deep)).Flaw);
    }

    [Fact]
    public void Sound_json_with_non_ascii_text_passes()
    {
        Assert.Equal(JsonFlaw.None, StrictJson.Inspect("{\"name\":\"Siân O’Brien 😀\",\"n\":[1,2,{\"x\":null}]}"u8, refuseControlCharacters: true).Flaw);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("payload")]
    public void A_jwt_part_that_is_not_utf8_is_refused_with_invalid_utf8_naming_the_part(string part)
    {
        var bad = Base64UrlStrict.Encode(Bytes("{\"", (byte)0xFF, "\":1}"));
        var good = Base64UrlStrict.Encode("{\"alg\":\"ES256\"}"u8);
        var jwt = part == "header" ? $"{bad}.{good}.AAAA" : $"{good}.{bad}.AAAA";

        Assert.False(CompactJws.TryParse(jwt, out _, out var error, "KB-JWT"));

        Assert.Equal(ErrorCodes.InvalidUtf8, error!.Code);
        Assert.Contains("KB-JWT " + part, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disclosure_that_is_not_utf8_is_refused_with_invalid_utf8()
    {
        var bad = Base64UrlStrict.Encode(Bytes("[\"salt\",\"given_name\",\"", (byte)0xC0, (byte)0xAF, "\"]"));

        Assert.False(Disclosure.TryParse(bad, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidUtf8, error!.Code);
    }
}
