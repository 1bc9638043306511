using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using static Passport.Credentials.Tests.Interop.InteropParties;

namespace Passport.Credentials.Tests.Interop;

/// <summary>SD-JWT VC both ways with the OpenWallet Foundation's @sd-jwt/sd-jwt-vc, run by tests/interop/peer.mjs.</summary>
public sealed class SdJwtVcInteropTests
{
    private readonly InteropParties _parties = new();

    [Fact]
    public async Task Our_presentation_of_selected_claims_verifies_in_the_independent_library_with_the_same_claims()
    {
        var issued = await _parties.IssueHereAsync();
        var presentation = await _parties.PresentHereAsync(issued.Serialized, Requested());

        var theirs = await _parties.VerifyInPeerAsync(presentation);
        var ours = await _parties.VerifyHereAsync(presentation);

        Assert.True(theirs.Succeeded, theirs.Error);
        Assert.True(ours.IsValid, ours.Error?.ToString());
        AssertSameJson(ExpectedDisclosed(), UserClaims(theirs.Result!["claims"]));
        AssertSameJson(ours.Credential!.Claims, theirs.Result!["claims"]);
        Assert.Equal("dc+sd-jwt", theirs.Result!["header"]!["typ"]!.GetValue<string>());
        Assert.Equal(Nonce, theirs.Result!["kb"]!["payload"]!["nonce"]!.GetValue<string>());
    }

    [Fact]
    public async Task Every_claim_we_conceal_the_independent_library_restores_exactly()
    {
        var issued = await _parties.IssueHereAsync();
        var presentation = await _parties.PresentHereAsync(issued.Serialized);

        var theirs = await _parties.VerifyInPeerAsync(presentation);

        Assert.True(theirs.Succeeded, theirs.Error);
        AssertSameJson(StaffClaims(), UserClaims(theirs.Result!["claims"]));
        var cnf = theirs.Result!["claims"]!["cnf"]!["jwk"];
        AssertSameJson(_parties.Holder.PublicJwk.ToJson(includeKid: false), cnf);
    }

    [Fact]
    public async Task The_independent_library_refuses_our_presentation_when_its_nonce_was_for_another_request()
    {
        var issued = await _parties.IssueHereAsync();
        var presentation = await _parties.PresentHereAsync(issued.Serialized, Requested());

        var theirs = await _parties.VerifyInPeerAsync(presentation, nonce: "a-nonce-this-verifier-never-issued");

        Assert.False(theirs.Succeeded);
        Assert.Contains("Nonce", theirs.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presentation_the_independent_library_issues_and_makes_verifies_here_with_the_expected_claims()
    {
        var issued = await _parties.IssueInPeerAsync(new StatusReference(7, StatusListUri));
        var presentation = await _parties.PresentInPeerAsync(issued, RequestedFrame());

        var ours = await _parties.VerifyHereAsync(presentation);

        Assert.True(ours.IsValid, ours.Error?.ToString());
        var credential = ours.Credential!;
        AssertSameJson(ExpectedDisclosed(), UserClaims(credential.Claims));
        Assert.Equal(IssuerId, credential.Issuer);
        Assert.Equal(Vct, credential.Vct);
        Assert.Equal("issuer-key-1", credential.KeyId);
        Assert.Equal(Now, credential.IssuedAt);
        Assert.Equal(Now.AddDays(365), credential.ExpiresAt);
        Assert.Equal(new StatusReference(7, StatusListUri), credential.Status);
        Assert.True(credential.KeyBound);
        Assert.True(credential.HolderKey!.SameKeyAs(_parties.Holder.PublicJwk));
        Assert.Equal(6, credential.Disclosures.Count);
    }

    [Fact]
    public async Task We_hold_and_present_a_credential_the_independent_library_issued_and_both_sides_verify_it()
    {
        var issued = await _parties.IssueInPeerAsync();
        Assert.True(HeldCredential.TryParse(issued, out var held, out var error), error?.ToString());
        AssertSameJson(StaffClaims(), UserClaims(held.Claims));

        var presentation = await _parties.PresentHereAsync(issued, Requested());
        var theirs = await _parties.VerifyInPeerAsync(presentation);
        var ours = await _parties.VerifyHereAsync(presentation);

        Assert.True(theirs.Succeeded, theirs.Error);
        Assert.True(ours.IsValid, ours.Error?.ToString());
        AssertSameJson(ExpectedDisclosed(), UserClaims(theirs.Result!["claims"]));
        AssertSameJson(ExpectedDisclosed(), UserClaims(ours.Credential!.Claims));
    }

    [Fact]
    public async Task A_presentation_the_independent_library_makes_for_another_verifier_is_refused_here()
    {
        var issued = await _parties.IssueInPeerAsync();
        var presentation = await _parties.PresentInPeerAsync(issued, RequestedFrame(), audience: "https://elsewhere.example.org");

        var ours = await _parties.VerifyHereAsync(presentation);

        Assert.False(ours.IsValid);
        Assert.Equal(ErrorCodes.AudienceMismatch, ours.Error!.Code);
    }

    [Theory]
    [InlineData("disclosure removed after key binding", ErrorCodes.SdHashMismatch)]
    [InlineData("disclosure value replaced", ErrorCodes.UnreferencedDisclosure)]
    [InlineData("signed payload edited", ErrorCodes.InvalidSignature)]
    public async Task A_tampered_presentation_from_the_independent_library_is_refused_here(string tampering, string expectedCode)
    {
        var issued = await _parties.IssueInPeerAsync();
        var presentation = await _parties.PresentInPeerAsync(issued, RequestedFrame());
        Assert.True((await _parties.VerifyHereAsync(presentation)).IsValid);

        var ours = await _parties.VerifyHereAsync(Tamper(presentation, tampering));

        Assert.False(ours.IsValid);
        Assert.Equal(expectedCode, ours.Error!.Code);
    }

    private static string Tamper(string presentation, string tampering)
    {
        var parts = presentation.Split('~').ToList();
        // given_name is a leaf: removing it orphans no other disclosure.
        var givenName = parts.FindIndex(1, parts.Count - 2, p => Disclosure.TryParse(p, out var d, out _) && d.Name == "given_name");
        Assert.True(givenName > 0);
        switch (tampering)
        {
            case "disclosure removed after key binding":
                parts.RemoveAt(givenName);
                break;
            case "disclosure value replaced":
                Assert.True(Disclosure.TryParse(parts[givenName], out var original, out _));
                parts[givenName] = Disclosure.Create(original.Salt, "given_name", "Mallory").Encoded;
                break;
            case "signed payload edited":
                var jwt = parts[0].Split('.');
                Assert.True(Base64UrlStrict.TryDecode(jwt[1], out var payloadBytes));
                var payload = JsonNode.Parse(payloadBytes)!.AsObject();
                payload["vct"] = "https://passport.example.nhs.uk/vct/consultant";
                jwt[1] = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
                parts[0] = string.Join('.', jwt);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, "Unknown tampering.");
        }
        return string.Join('~', parts);
    }
}
