using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Passport.Web.Tests;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) in the test process on a loopback port, standing in for the
/// organisation's Entra ID or NHS CIS2: authorization code flow with PKCE required, ES256-signed ID and access tokens,
/// the keys published as a JWKS through discovery. A person signs in on its login page by choosing a test user (a
/// browser test clicks "Sign in as Helen Hughes"); an authorization request whose <c>login_hint</c> names a user's
/// subject signs that user in at once, which lets an HttpClient run the whole flow.
/// </summary>
/// <remarks>
/// Degraded mode (no OpenIddict store): its EF Core store needs a newer EF Core than the solution pins. Clients and
/// users are kept here and checked by the small handlers below; codes are self-contained, encrypted and short-lived.
/// </remarks>
public sealed class IdentityProvider : IAsyncLifetime
{
    /// <summary>The scope for Passport's API: the access token's audience is <c>passport-api</c>.</summary>
    public const string PassportApiScope = "passport-api";

    /// <summary>An API that is not Passport's, for tests of a token meant for someone else.</summary>
    public const string OtherApiScope = "other-api";

    /// <summary>The public client of tests that run the flow themselves; its redirect URI is a plain page on this provider.</summary>
    public const string TestsClientId = "passport-tests";

    private const string SessionScheme = "test-idp-session";
    private static readonly string[] ApiScopes = [PassportApiScope, OtherApiScope];

    private readonly ConcurrentDictionary<string, TestUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TestClient> _clients = new(StringComparer.Ordinal);
    private readonly ECDsa _signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication? _app;
    private Uri? _authority;

    public IdentityProvider()
    {
        foreach (var user in TestUser.Presets)
            AddUser(user);
    }

    /// <summary>The issuer, with its trailing slash, exactly as in the tokens' <c>iss</c>; discovery is under it.</summary>
    public Uri Authority => _authority ?? throw new InvalidOperationException("The identity provider has not started yet.");

    public ProviderClaimNames ClaimNames { get; } = new();

    public Uri TestsRedirectUri => new(Authority, "tests/callback");

    public void AddUser(TestUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _users[user.Subject] = user;
    }

    public void AddClient(TestClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _clients[client.ClientId] = client;
    }

    /// <summary>Settings that make a Passport service (Issuer, Verifier, the composed host) trust this provider's access tokens.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ServiceSettings(string audience = PassportApiScope) =>
    [
        new("Auth:Authority", Authority.ToString()),
        new("Auth:Issuer", Authority.ToString()),
        new("Auth:Audience", audience),
        new("Auth:SigningKeys", ""),
        new("Auth:RequireHttpsMetadata", "false"),
    ];

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRouting();
        builder.Services.AddAuthentication().AddCookie(SessionScheme, cookie => cookie.Cookie.Name = "passport-test-idp");
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/endsession")
                .SetUserInfoEndpointUris("connect/userinfo");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes([Scopes.OpenId, Scopes.Profile, Scopes.Email, .. ApiScopes]);
            server.AddSigningKey(new ECDsaSecurityKey(_signingKey) { KeyId = $"test-idp-{Guid.NewGuid():N}" });
            // Codes and other tokens only the server reads are encrypted; access tokens stay plain JWTs, as Entra ID's and CIS2's are.
            server.AddEphemeralEncryptionKey();
            server.DisableAccessTokenEncryption();
            server.EnableDegradedMode();
            server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough()
                .DisableTransportSecurityRequirement();
            server.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (!_clients.TryGetValue(context.ClientId ?? "", out var client))
                    context.Reject(Errors.InvalidClient, "The client_id is not registered with the test identity provider.");
                else if (!client.RedirectUris.Any(u => string.Equals(u.ToString(), context.RedirectUri, StringComparison.Ordinal)))
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                return default;
            }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (!_clients.TryGetValue(context.Request.ClientId ?? "", out var client))
                    context.Reject(Errors.InvalidClient, "The client_id is not registered with the test identity provider.");
                else if (client.Secret is not null && !SameSecret(client.Secret, context.Request.ClientSecret))
                    context.Reject(Errors.InvalidClient, "The client secret is wrong.");
                return default;
            }));
            server.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } uri
                    && !_clients.Values.Any(c => c.PostLogoutRedirectUris.Any(u => string.Equals(u.ToString(), uri, StringComparison.Ordinal))))
                    context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri is not registered for any client.");
                return default;
            }));
        });

        _app = builder.Build();
        _app.UseRouting();
        _app.UseAuthentication();
        _app.MapMethods("connect/authorize", [HttpMethods.Get], (Func<HttpContext, Task<IResult>>)AuthorizeAsync);
        _app.MapMethods("connect/userinfo", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)UserInfoAsync);
        _app.MapMethods("connect/endsession", [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)EndSessionAsync);
        _app.MapGet("login", (string? returnUrl) => Results.Content(LoginPage(returnUrl ?? "/"), "text/html; charset=utf-8"));
        _app.MapPost("login", (Func<HttpContext, Task<IResult>>)SignInAsync);
        _app.MapGet("tests/callback", () => Results.Content("<!DOCTYPE html><html lang=\"en\"><title>Signed in</title><main><h1>Signed in</h1></main></html>", "text/html"));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _authority = new Uri(address.TrimEnd('/') + "/");
        AddClient(new TestClient(TestsClientId, null, [TestsRedirectUri], []));
    }

    private async Task<IResult> AuthorizeAsync(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var user = request.LoginHint is { } hint && _users.TryGetValue(hint, out var hinted) ? hinted : await SignedInUserAsync(http);
        if (user is null)
            return Results.Redirect($"/login?returnUrl={Uri.EscapeDataString(http.Request.Path + http.Request.QueryString)}");

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.AddClaims(ClaimsOf(user));
        identity.SetScopes(request.GetScopes());
        identity.SetResources(request.GetScopes().Intersect(ApiScopes));
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private IEnumerable<Claim> ClaimsOf(TestUser user)
    {
        yield return new Claim(Claims.Subject, user.Subject);
        yield return new Claim(ClaimNames.Name, user.Name);
        yield return new Claim(ClaimNames.Organisation, user.Organisation);
        // Always a JSON array, as Entra ID sends app roles, even for one role.
        yield return new Claim(ClaimNames.Roles, JsonSerializer.Serialize(user.Roles), JsonClaimValueTypes.JsonArray);
        if (user.StaffId is { } staffId)
            yield return new Claim(ClaimNames.StaffId, staffId.ToString());
        if (user.Email is { } email)
            yield return new Claim(Claims.Email, email);
        foreach (var (type, value) in user.ExtraClaims)
            yield return new Claim(type, value);
    }

    /// <summary>The signed-in user's claims for the bearer of an access token from here (the Web asks for them after sign-in).</summary>
    private async Task<IResult> UserInfoAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (result.Principal?.GetClaim(Claims.Subject) is not { } subject || !_users.TryGetValue(subject, out var user))
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var claim in ClaimsOf(user))
            claims[claim.Type] = claim.ValueType == JsonClaimValueTypes.JsonArray ? JsonSerializer.Deserialize<JsonElement>(claim.Value) : claim.Value;
        return Results.Json(claims);
    }

    private async Task<TestUser?> SignedInUserAsync(HttpContext http)
    {
        var session = await http.AuthenticateAsync(SessionScheme);
        return session.Principal?.FindFirstValue(Claims.Subject) is { } subject && _users.TryGetValue(subject, out var user) ? user : null;
    }

    private async Task<IResult> SignInAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        // Only back into this provider's own authorization endpoint: an open redirect would be a bug even here.
        if (!returnUrl.StartsWith("/connect/authorize?", StringComparison.Ordinal) || !_users.TryGetValue(form["user"].ToString(), out var user))
            return Results.BadRequest("Choose a test user, starting from a client's sign-in.");
        await http.SignInAsync(SessionScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(Claims.Subject, user.Subject)], SessionScheme)));
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http)
    {
        await http.SignOutAsync(SessionScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private string LoginPage(string returnUrl)
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in: test identity provider</title></head>
            <body><main><h1>Sign in</h1><p>Choose who to sign in as.</p>
            """);
        foreach (var user in _users.Values.OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            page.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
                <form method="post" action="/login">
                <input type="hidden" name="returnUrl" value="{html.Encode(returnUrl)}">
                <input type="hidden" name="user" value="{html.Encode(user.Subject)}">
                <button type="submit">Sign in as {html.Encode(user.Name)}</button> ({html.Encode(user.Organisation)}: {html.Encode(string.Join(", ", user.Roles))})
                </form>
                """);
        }
        return page.Append("</main></body></html>").ToString();
    }

    /// <summary>
    /// On the provider's login page (where the Web's sign-in has sent the browser), chooses <paramref name="user"/> as a
    /// person would, and waits to be sent back to the client.
    /// </summary>
    public async Task ChooseOnLoginPageAsync(IPage page, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(user);
        AddUser(user);
        await page.WaitForURLAsync(url => url.StartsWith(new Uri(Authority, "login").ToString(), StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign in as {user.Name}", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => !url.StartsWith(new Uri(Authority, "login").ToString(), StringComparison.Ordinal)
            && !url.StartsWith(new Uri(Authority, "connect/").ToString(), StringComparison.Ordinal));
    }

    /// <summary>
    /// The first half of the authorization code flow with PKCE, as a client runs it: an authorization request for
    /// <paramref name="user"/> (by <c>login_hint</c>) and the code from the redirect, with the verifier to redeem it.
    /// </summary>
    public async Task<(string Code, string CodeVerifier)> AuthorizeAsync(TestUser user, string scope = $"openid profile {PassportApiScope}")
    {
        ArgumentNullException.ThrowIfNull(user);
        AddUser(user);
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var query = QueryString.Create(new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = TestsClientId,
            ["redirect_uri"] = TestsRedirectUri.ToString(),
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = user.Subject,
        });
        using var http = NewClient();
        using var response = await http.GetAsync(new Uri($"connect/authorize{query}", UriKind.Relative));
        if (response.StatusCode != HttpStatusCode.Found || response.Headers.Location is not { } location)
            throw new InvalidOperationException($"The authorization request was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var parameters = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        if (parameters.TryGetValue("error", out var error))
            throw new InvalidOperationException($"The authorization request was refused: {error} {parameters.GetValueOrDefault("error_description")}");
        if (parameters["state"] != state)
            throw new InvalidOperationException("The redirect's state is not the request's.");
        return (parameters["code"].ToString(), verifier);
    }

    /// <summary>The second half: redeems the code at the token endpoint with its PKCE verifier. The answer is returned as it came.</summary>
    public async Task<HttpResponseMessage> RedeemAsync(string code, string codeVerifier)
    {
        using var http = NewClient();
        return await http.PostAsync(new Uri("connect/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.AuthorizationCode,
            ["code"] = code,
            ["redirect_uri"] = TestsRedirectUri.ToString(),
            ["client_id"] = TestsClientId,
            ["code_verifier"] = codeVerifier,
        }));
    }

    /// <summary>Signs <paramref name="user"/> in through the whole code flow with PKCE and returns the access and ID tokens.</summary>
    public async Task<(string AccessToken, string IdToken)> SignInAsync(TestUser user, string scope = $"openid profile {PassportApiScope}")
    {
        var (code, verifier) = await AuthorizeAsync(user, scope);
        using var response = await RedeemAsync(code, verifier);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The token request was answered {(int)response.StatusCode}: {body}");
        var tokens = JsonNode.Parse(body)!;
        return (tokens["access_token"]!.GetValue<string>(), tokens["id_token"]!.GetValue<string>());
    }

    private HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Authority, Timeout = TimeSpan.FromSeconds(30) };

    private static bool SameSecret(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _signingKey.Dispose();
    }
}
