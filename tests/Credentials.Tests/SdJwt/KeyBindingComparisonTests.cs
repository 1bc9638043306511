using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>
/// The KB-JWT's <c>aud</c>, <c>nonce</c> and <c>sd_hash</c> are compared as the bytes of the KB-JWT itself when it is clean
/// JSON, without making strings of them: every string that was equal (ordinally) must still be, and every other must not.
/// </summary>
public sealed class KeyBindingComparisonTests
{
    private readonly TestIssuer _t = new();

    [Fact]
    public async Task A_non_ascii_audience_and_nonce_equal_to_the_policy_are_accepted()
    {
        const string audience = "https://vérifier.example.nhs.uk/Zoë";
        const string nonce = "n-☕-𝄞-1";
        var presentation = await _t.PresentAsync(await _t.IssueAsync(), audience, nonce);

        var result = await _t.VerifyAsync(presentation, PresentationPolicy.KeyBound(audience, nonce));

        Assert.True(result.IsValid, result.Error?.ToString());
    }

    [Fact]
    public async Task An_audience_that_differs_only_in_unicode_normalisation_is_refused()
    {
        var presentation = await _t.PresentAsync(await _t.IssueAsync(), audience: "https://ve\u0301rifier.example");

        var result = await _t.VerifyAsync(presentation, PresentationPolicy.KeyBound("https://v\u00e9rifier.example", TestIssuer.Nonce));

        Assert.Equal(ErrorCodes.AudienceMismatch, result.Error?.Code);
    }

    [Fact]
    public async Task A_policy_nonce_with_a_lone_surrogate_matches_no_presented_nonce_not_even_its_utf8_replacement()
    {
        // A lone surrogate has no UTF-8; encoding it with replacement would give U+FFFD, which the holder can present.
        var issued = await _t.IssueAsync();
        var kb = await SignKeyBindingAsync(issued.Serialized, $$"""{"iat":{{Now}},"aud":"{{TestIssuer.Audience}}","nonce":"n-{{'\uFFFD'}}","sd_hash":"{{SdJwtVcVerifier.SdHash(issued.Serialized)}}"}""");

        var result = await _t.VerifyAsync(kb, PresentationPolicy.KeyBound(TestIssuer.Audience, "n-\uD800"));

        Assert.Equal(ErrorCodes.NonceMismatch, result.Error?.Code);
    }

    [Theory]
    [InlineData("aud", ErrorCodes.AudienceMismatch)]
    [InlineData("nonce", ErrorCodes.NonceMismatch)]
    [InlineData("sd_hash", ErrorCodes.SdHashMismatch)]
    public async Task A_key_binding_member_that_is_absent_or_not_a_string_is_refused(string member, string code)
    {
        var issued = await _t.IssueAsync();
        var members = new JsonObject
        {
            ["iat"] = Now,
            ["aud"] = TestIssuer.Audience,
            ["nonce"] = TestIssuer.Nonce,
            ["sd_hash"] = SdJwtVcVerifier.SdHash(issued.Serialized),
        };
        members[member] = 42;
        var asNumber = await _t.VerifyAsync(await Forge.BindAsync(issued.Serialized, _t.HolderKey, members.DeepClone().AsObject()));
        members.Remove(member);
        var absent = await _t.VerifyAsync(await Forge.BindAsync(issued.Serialized, _t.HolderKey, members));

        Assert.Equal(code, asNumber.Error?.Code);
        Assert.Equal(code, absent.Error?.Code);
    }

    [Fact]
    public async Task An_sd_hash_that_differs_in_one_character_is_refused_and_the_right_one_accepted()
    {
        var issued = await _t.IssueAsync();
        var sdHash = SdJwtVcVerifier.SdHash(issued.Serialized);
        var wrong = (sdHash[0] == 'A' ? "B" : "A") + sdHash[1..];

        var right = await _t.VerifyAsync(await SignKeyBindingAsync(issued.Serialized, KeyBindingJson(sdHash)));
        var refused = await _t.VerifyAsync(await SignKeyBindingAsync(issued.Serialized, KeyBindingJson(wrong)));

        Assert.True(right.IsValid, right.Error?.ToString());
        Assert.Equal(ErrorCodes.SdHashMismatch, refused.Error?.Code);
    }

    private long Now => _t.Time.GetUtcNow().ToUnixTimeSeconds();

    private string KeyBindingJson(string sdHash) =>
        $$"""{"iat":{{Now}},"aud":"{{TestIssuer.Audience}}","nonce":"{{TestIssuer.Nonce}}","sd_hash":"{{sdHash}}"}""";

    // Raw text, so that the KB-JWT is the clean JSON that is compared in place.
    private async Task<string> SignKeyBindingAsync(string sdJwt, string payloadJson) =>
        sdJwt + await Forge.SignAsync("""{"alg":"ES256","typ":"kb+jwt"}""", payloadJson, _t.HolderKey);
}
