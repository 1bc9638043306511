using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Passport.Web.Tests;

[Collection(BrowserTests.Name)]
public sealed class IdentityProviderTests(Browser browser, IdentityProvider provider) : IClassFixture<IdentityProvider>
{
    private readonly IdentityProvider _provider = provider;

    [Fact]
    public async Task The_code_flow_with_PKCE_gives_ES256_tokens_with_the_users_organisation_roles_and_staff_record()
    {
        var staffId = Guid.NewGuid();
        var nurse = TestUser.Staff(staffId, "Nia Nwosu");

        var (accessToken, idToken) = await _provider.SignInAsync(nurse);

        using var http = new HttpClient { BaseAddress = _provider.Authority };
        var discovery = JsonNode.Parse(await http.GetStringAsync(new Uri(".well-known/openid-configuration", UriKind.Relative)))!;
        Assert.Equal(_provider.Authority.ToString(), discovery["issuer"]!.GetValue<string>());
        Assert.Contains("S256", discovery["code_challenge_methods_supported"]!.AsArray().Select(m => m!.GetValue<string>()));
        var keys = new JsonWebKeySet(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()));
        foreach (var token in new[] { accessToken, idToken })
        {
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
            {
                ValidIssuer = _provider.Authority.ToString(),
                ValidateAudience = false,
                IssuerSigningKeys = keys.GetSigningKeys(),
                ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            });
            Assert.True(result.IsValid, result.Exception?.Message);
        }
        var access = new JsonWebToken(accessToken);
        Assert.Equal(["passport-api"], access.Audiences);
        Assert.Equal(nurse.Subject, access.Subject);
        Assert.Equal("RHQ", access.GetPayloadValue<string>("org"));
        Assert.Equal(staffId.ToString(), access.GetPayloadValue<string>("staff_id"));
        Assert.Equal(["staff"], access.GetPayloadValue<string[]>("roles"));
        var id = new JsonWebToken(idToken);
        Assert.Equal("Nia Nwosu", id.GetPayloadValue<string>("name"));
        Assert.Equal("RHQ", id.GetPayloadValue<string>("org"));
    }

    [Fact]
    public async Task A_code_is_not_redeemed_without_the_PKCE_verifier_it_was_issued_for()
    {
        var (code, _) = await _provider.AuthorizeAsync(TestUser.HrAtRhq);

        using var response = await _provider.RedeemAsync(code, Base64UrlEncoder.Encode(new byte[32]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_authorization_request_for_a_redirect_uri_the_client_did_not_register_is_refused()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _provider.Authority };

        using var response = await http.GetAsync(new Uri(
            "connect/authorize?response_type=code&client_id=passport-tests&redirect_uri=http%3A%2F%2Fevil.test%2Fcb&scope=openid"
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&login_hint=hr-rhq", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task A_person_signs_in_on_the_login_page_by_choosing_who_they_are()
    {
        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        var callback = _provider.TestsRedirectUri.ToString();
        var authorize = new Uri(_provider.Authority, "connect/authorize"
            + "?response_type=code&client_id=passport-tests&redirect_uri=" + Uri.EscapeDataString(callback) + "&scope=openid%20passport-api"
            + "&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");

        await page.GotoAsync(authorize.ToString());
        await Accessibility.AssertNoAxeViolationsAsync(page);
        await _provider.ChooseOnLoginPageAsync(page, TestUser.VerifierAtRxh);

        var query = QueryHelpers.ParseQuery(new Uri(page.Url).Query);
        Assert.StartsWith(callback, page.Url, StringComparison.Ordinal);
        Assert.Equal("s1", query["state"]);
        Assert.Equal(_provider.Authority.ToString(), query["iss"]); // RFC 9207
        // The verifier matching that challenge (RFC 7636 appendix B).
        using var token = await _provider.RedeemAsync(query["code"]!, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        var body = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        Assert.True(token.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal("RXH", new JsonWebToken(body["access_token"]!.GetValue<string>()).GetPayloadValue<string>("org"));
    }
}
