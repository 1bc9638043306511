using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests;

/// <summary>Access tokens are checked for their type and, where the service is configured so, for a scope it requires.</summary>
public sealed class AccessTokenTests : IClassFixture<IssuerApp>
{
    private const string RequiredScope = "passport.issuer";
    private readonly IssuerApp _app;

    public AccessTokenTests(IssuerApp app)
    {
        _app = app;
        _app.Settings["Auth:RequiredScopes:0"] = RequiredScope;
    }

    private async Task<HttpStatusCode> CallWithAsync(string token)
    {
        using var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(new Uri("/api/organisation", UriKind.Relative));
        return response.StatusCode;
    }

    private string Mint(string? type = null, object? scope = null) =>
        _app.Tokens.Mint(Seed.NewOds(), [PassportRoles.OrganisationAdmin], type: type,
            extraClaims: scope is null ? null : new Dictionary<string, object> { ["scp"] = scope });

    [Fact]
    public async Task A_token_with_the_required_scope_and_an_access_token_type_is_accepted()
    {
        Assert.NotEqual(HttpStatusCode.Unauthorized, await CallWithAsync(Mint(type: "at+jwt", scope: $"openid {RequiredScope}")));
        Assert.NotEqual(HttpStatusCode.Unauthorized, await CallWithAsync(Mint(scope: RequiredScope)));
    }

    [Theory]
    [InlineData("dc+sd-jwt")]
    [InlineData("kb+jwt")]
    [InlineData("statuslist+jwt")]
    [InlineData("openid4vci-proof+jwt")]
    public async Task A_signed_token_of_another_type_is_refused_as_an_access_token(string type) =>
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Mint(type: type, scope: RequiredScope)));

    [Fact]
    public async Task A_token_without_the_scope_the_service_requires_is_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Mint()));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Mint(scope: "passport.verifier")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(Mint(scope: RequiredScope + ".other")));
    }

    [Fact]
    public async Task A_token_without_the_required_scope_is_told_which_scope_to_ask_for()
    {
        using var client = _app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Mint(scope: "passport.verifier"));

        using var response = await client.GetAsync(new Uri("/api/organisation", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("missing_scope", problem.GetProperty("code").GetString());
        Assert.Contains(RequiredScope, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
