using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>
/// <see cref="SdJwtParts.TryParse"/> scans the presentation for '~' instead of splitting it: on any text it must find the
/// same parts, and refuse the same texts with the same code and sentence, as a split on '~' does.
/// </summary>
public sealed class SdJwtPartsTests
{
    private static readonly SdJwtLimits Small = new() { MaxTotalLength = 200, MaxPartLength = 12, MaxDisclosures = 3 };

    public static TheoryData<string> Texts => new()
    {
        "", "~", "~~", "~~~", "a", "a~", "a~b", "a~b~", "a~b~c", "a~~", "a~~b", "~a~", "jwt~d1~d2~d3~", "jwt~d1~d2~d3~d4~",
        "jwt~d1~d2~d3~kb", "jwt~d1~~d3~kb", "0123456789abc~", "jwt~0123456789abc~", "jwt~d~0123456789abc",
        "0123456789abc~~", "jwt~~0123456789abc~", "a~b~c~d~e~f~", new string('x', 201), new string('~', 200),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Parts_are_those_of_a_split_on_tilde(string text)
    {
        foreach (var limits in new[] { Small, SdJwtLimits.Default })
            AssertLikeSplit(text, limits);
    }

    [Fact]
    public void Parts_are_those_of_a_split_on_tilde_for_random_texts()
    {
        var random = new Random(14);
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 60)];
            for (var j = 0; j < chars.Length; j++)
                chars[j] = random.Next(4) == 0 ? '~' : (char)('a' + random.Next(3));
            AssertLikeSplit(new string(chars), Small);
        }
    }

    private static void AssertLikeSplit(string text, SdJwtLimits limits)
    {
        var ok = SdJwtParts.TryParse(text, limits, out var parts, out var error);
        var expected = Reference(text, limits);
        Assert.Equal(expected.Error, error?.ToString());
        Assert.Equal(expected.Error is null, ok);
        if (!ok)
            return;
        Assert.Equal(expected.IssuerJwt, parts.IssuerJwt);
        Assert.Equal(expected.Disclosures, parts.Disclosures);
        Assert.Equal(expected.KeyBinding, parts.KeyBindingJwt);
        Assert.Equal(text[..(text.LastIndexOf('~') + 1)], parts.WithoutKeyBinding);
    }

    // The parser as it was before it stopped splitting: the definition the new one is held to.
    private static (string? Error, string IssuerJwt, string[] Disclosures, string? KeyBinding) Reference(string text, SdJwtLimits limits)
    {
        if (text.Length == 0)
            return ("malformed_sd_jwt: The SD-JWT is empty.", "", [], null);
        if (text.Length > limits.MaxTotalLength)
            return ($"too_large: The SD-JWT is {text.Length} characters; at most {limits.MaxTotalLength} are accepted.", "", [], null);
        if (text.LastIndexOf('~') < 0)
            return ("malformed_sd_jwt: An SD-JWT separates its parts with '~' and ends with '~' when there is no key binding JWT.", "", [], null);
        var segments = text.Split('~');
        if (segments.Length - 2 > limits.MaxDisclosures)
            return ($"too_large: The SD-JWT carries {segments.Length - 2} disclosures; at most {limits.MaxDisclosures} are accepted.", "", [], null);
        if (segments.FirstOrDefault(s => s.Length > limits.MaxPartLength) is { } tooLong)
            return ($"too_large: A part of the SD-JWT is {tooLong.Length} characters; at most {limits.MaxPartLength} are accepted.", "", [], null);
        if (segments[1..^1].Any(s => s.Length == 0))
            return ("malformed_sd_jwt: The SD-JWT has an empty disclosure ('~~').", "", [], null);
        return (null, segments[0], segments[1..^1], segments[^1].Length == 0 ? null : segments[^1]);
    }
}
