using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Passport.Web.Tests;

/// <summary>
/// The provider and the site's API with ASP.NET Core's OpenID Connect handler set up as src/Web sets it (code, PKCE,
/// response_mode=query, a client secret, user info, tokens saved, Secure cookies), in a browser, before the pages exist.
/// </summary>
[Collection(SiteTests.Name)]
public sealed class OidcSignInTests(PassportSite site, Browser browser)
{
    [Fact]
    public async Task A_person_signs_in_through_the_provider_and_their_access_token_is_accepted_by_the_API()
    {
        await using var client = await RelyingParty.StartAsync(site);
        var (context, page) = await browser.NewPageAsync(client.Url);
        await using var _ = context;

        await page.GotoAsync("/");
        await site.Provider.ChooseOnLoginPageAsync(page, TestUser.HrAtRhq);

        await page.WaitForURLAsync(client.Url.ToString());
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        Assert.Equal("Signed in as Helen Hughes", await heading.TextContentAsync());
        Assert.Equal("RHQ hr_issuer", await page.GetByTestId("claims").TextContentAsync());
        Assert.Equal(Scene.HomeName, await page.GetByTestId("organisation").TextContentAsync());
    }

    [Fact]
    public async Task Signing_out_ends_the_session_at_the_provider_too()
    {
        await using var client = await RelyingParty.StartAsync(site);
        var (context, page) = await browser.NewPageAsync(client.Url);
        await using var _ = context;
        await page.GotoAsync("/");
        await site.Provider.ChooseOnLoginPageAsync(page, TestUser.VerifierAtRxh);
        await page.WaitForURLAsync(client.Url.ToString());

        Assert.Equal("API answered 403", await page.GetByTestId("organisation").TextContentAsync());

        await page.GotoAsync("/sign-out");
        await page.WaitForURLAsync(new Uri(client.Url, "signed-out").ToString());
        await page.GotoAsync("/");

        await page.WaitForURLAsync(url => url.StartsWith(new Uri(site.Provider.Authority, "login").ToString(), StringComparison.Ordinal));
    }

    private sealed class RelyingParty : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private RelyingParty(WebApplication app, Uri url) => (_app, Url) = (app, url);

        public Uri Url { get; }

        public static async Task<RelyingParty> StartAsync(PassportSite site)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = new Uri($"http://localhost:{port}/");
            var clientId = $"rp-{Guid.NewGuid():N}";
            var secret = Guid.NewGuid().ToString("N");
            site.Provider.AddClient(new TestClient(clientId, secret, [new Uri(url, "signin-oidc")], [new Uri(url, "signout-callback-oidc")]));

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.WebHost.UseKestrel(k => k.ListenLocalhost(port));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddAuthentication(o =>
                {
                    o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                    o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
                })
                .AddCookie(o =>
                {
                    o.Cookie.HttpOnly = true;
                    o.Cookie.SameSite = SameSiteMode.Lax;
                    o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                })
                .AddOpenIdConnect(o =>
                {
                    o.Authority = site.Provider.Authority.ToString();
                    o.ClientId = clientId;
                    o.ClientSecret = secret;
                    o.RequireHttpsMetadata = false;
                    o.ResponseType = "code";
                    o.ResponseMode = "query";
                    o.UsePkce = true;
                    o.SaveTokens = true;
                    o.MapInboundClaims = false;
                    o.GetClaimsFromUserInfoEndpoint = true;
                    o.Scope.Clear();
                    o.Scope.Add("openid");
                    o.Scope.Add("profile");
                    o.Scope.Add(IdentityProvider.PassportApiScope);
                    o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
                    o.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
                });
            builder.Services.AddAuthorization();
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/", async (HttpContext http) =>
            {
                using var api = new HttpClient { BaseAddress = site.ServiceUrl };
                api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await http.GetTokenAsync("access_token"));
                // HR's view of their organisation: another role is refused (403), which the page shows as it is.
                using var response = await api.GetAsync(new Uri("api/organisation", UriKind.Relative));
                var organisation = response.IsSuccessStatusCode
                    ? JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!.GetValue<string>()
                    : $"API answered {(int)response.StatusCode}";
                var html = HtmlEncoder.Default;
                var user = http.User;
                return Results.Content($"""
                    <!DOCTYPE html><html lang="en"><title>Signed in</title><main>
                    <h1>Signed in as {html.Encode(user.FindFirstValue("name") ?? "")}</h1>
                    <p data-testid="claims">{html.Encode(user.FindFirstValue("org") ?? "")} {html.Encode(string.Join(" ", user.FindAll("roles").Select(c => c.Value)))}</p>
                    <p data-testid="organisation">{html.Encode(organisation)}</p>
                    </main></html>
                    """, "text/html");
            }).RequireAuthorization();
            app.MapGet("/sign-out", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
            app.MapGet("/signed-out", () => Results.Content("<!DOCTYPE html><html lang=\"en\"><title>Signed out</title><main><h1>Signed out</h1></main></html>", "text/html"));
            await app.StartAsync();
            return new RelyingParty(app, url);
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
