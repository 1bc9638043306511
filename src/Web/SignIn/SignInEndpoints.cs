using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Web.Api;

namespace Passport.Web.SignIn;

internal static class SignInEndpoints
{
    /// <summary>The identity provider's sign-in, started from the sign-in page's button (a GET, so it works as a plain link).</summary>
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sign-in/provider", (string? returnUrl, IOptions<OidcOptions> oidc) =>
            oidc.Value.Authority is null
                ? Results.Redirect("/sign-in")
                : Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [WebAuth.OidcScheme])).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    public static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}

/// <summary>
/// Development only: signs a demo user in with a token from the embedded host's <c>POST /dev/token</c>, so the pages call the
/// APIs exactly as they do after a real sign-in.
/// </summary>
public sealed class DevelopmentSignIn(HttpClient http, IOptions<WebOptions> options, IHostEnvironment environment)
{
    private sealed record TokenResponse(string AccessToken);

    public bool Enabled => options.Value.DevelopmentSignIn && environment.IsDevelopment();

    public async Task<string> TokenAsync(string organisation, string[] roles, Guid? staffId, string subject, CancellationToken cancellationToken)
    {
        if (!Enabled)
            throw new InvalidOperationException("The development sign-in is off.");
        using var response = await http.PostAsJsonAsync("dev/token", new { organisation, roles, staffId, subject }, ApiJson.Options, cancellationToken);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(ApiJson.Options, cancellationToken);
        return token?.AccessToken ?? throw new InvalidOperationException("The development token endpoint answered without a token.");
    }

    public sealed record DemoStaff(Guid Id, string Name, string OdsCode, string OrganisationName, string? Subject);

    /// <summary>The organisations registered here, and the first staff of each, to pick from.</summary>
    public async Task<(IReadOnlyList<Organisation> Organisations, IReadOnlyList<DemoStaff> Staff)> DemoUsersAsync(CancellationToken cancellationToken)
    {
        var organisations = await GetAsync<List<Organisation>>("api/organisations", await TokenAsync("RHQ", [PassportRoles.Verifier], null, "dev-sign-in", cancellationToken), cancellationToken) ?? [];
        var staff = new List<DemoStaff>();
        foreach (var organisation in organisations)
        {
            var token = await TokenAsync(organisation.OdsCode, [PassportRoles.HrIssuer], null, "dev-sign-in", cancellationToken);
            var page = await GetAsync<PageOf<StaffSummary>>("api/staff?pageSize=20", token, cancellationToken);
            foreach (var s in page?.Items ?? [])
            {
                // The API gives a member of staff their passport only when their sign-in's subject is the one on their record.
                var record = await GetAsync<StaffRecord>($"api/staff/{s.Id}", token, cancellationToken);
                staff.Add(new DemoStaff(s.Id, $"{s.GivenName} {s.FamilyName}", organisation.OdsCode, organisation.Name, record?.Subject));
            }
        }
        return (organisations, staff);
    }

    private async Task<T?> GetAsync<T>(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken) : default;
    }

    public async Task SignInAsync(HttpContext context, string organisation, string[] roles, Guid? staffId, string displayName, CancellationToken cancellationToken,
        string? staffSubject = null)
    {
        var subject = staffSubject ?? (staffId is { } s ? $"dev-staff-{s}" : $"dev-{organisation}-{string.Join('-', roles)}");
        var token = await TokenAsync(organisation, roles, staffId, subject, cancellationToken);
        var claims = new List<Claim> { new("sub", subject), new(PassportClaims.Organisation, organisation), new(ClaimMapping.Name, displayName) };
        claims.AddRange(roles.Select(r => new Claim(PassportClaims.Roles, r)));
        if (staffId is { } id)
            claims.Add(new Claim(PassportClaims.StaffId, id.ToString()));
        var properties = new AuthenticationProperties();
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = token }]);
        await context.SignInAsync(WebAuth.CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(claims, "development", ClaimMapping.Name, PassportClaims.Roles)), properties);
    }
}

/// <summary>Sends the signed-in person's access token with every API call.</summary>
internal sealed class AccessTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } context && await context.GetTokenAsync(WebAuth.CookieScheme, "access_token") is { Length: > 0 } token)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
