using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>
/// The verifier reads each disclosure where it lies in the presentation, without copying it out; its encoded text and salt
/// are made only when asked for. They must read exactly as a disclosure parsed from its own string does.
/// </summary>
public sealed class DisclosureInPlaceTests
{
    private readonly TestIssuer _t = new();

    [Fact]
    public async Task Disclosures_read_where_they_lie_report_the_presented_text_salt_and_digest_of_each()
    {
        var issued = await _t.IssueAsync();
        var presentation = await _t.PresentAsync(issued);
        var presented = presentation.Split('~')[1..^1];

        var result = await _t.VerifyAsync(presentation);

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal(presented, result.Credential!.Disclosures.Select(d => d.Encoded));
        foreach (var d in result.Credential.Disclosures)
        {
            Assert.Equal(Disclosure.ComputeDigest(d.Encoded), d.Digest);
            Assert.Equal(issued.Disclosures.Single(i => i.Encoded == d.Encoded).Salt, d.Salt);
        }
        Assert.True(SdJwtParts.TryParse(presentation, SdJwtLimits.Default, out var parts, out _));
        Assert.Equal(presented, parts.Disclosures);
    }

    [Fact]
    public async Task A_disclosure_the_clean_reader_declines_is_read_strictly_between_clean_ones_and_verifies_the_same()
    {
        // An escape in the value sends this one disclosure to the strict parser; the others are read where they lie.
        var (_, payload, list) = Forge.Open(await _t.IssueAsync());
        const string salt = "c2FsdC1lc2NhcGVk";
        var raw = Forge.B64($$"""["{{salt}}","nickname","Am\u0061ra"]""");
        ((JsonArray)payload["_sd"]!).Add(Disclosure.ComputeDigest(raw));
        var jwt = await Forge.SignAsync("""{"alg":"ES256","typ":"dc+sd-jwt","kid":"issuer-key-1"}""", payload.ToJsonString(), _t.IssuerKey);
        var presentation = await Forge.BindAsync(Forge.Join(jwt, [list[0], raw, .. list[1..]]), _t.HolderKey);

        var result = await _t.VerifyAsync(presentation);

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Equal("Amara", result.Credential!.Claims["nickname"]!.GetValue<string>());
        Assert.Equal(raw, result.Credential.Disclosures[1].Encoded);
        Assert.Equal(salt, result.Credential.Disclosures[1].Salt);
        Assert.Equal(list[0], result.Credential.Disclosures[0].Encoded);
    }
}
