using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Web.Api;
using Passport.Web.SignIn;

namespace Passport.Web;

/// <summary>The web front end for HR, receiving organisations and staff: server-rendered pages over the Issuer and Verifier APIs.</summary>
public static class WebModule
{
    public static IHostApplicationBuilder AddPassportWeb(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var environment = builder.Environment;
        builder.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section)
            .Validate(o => o.Authority is null || o.Authority.Scheme == Uri.UriSchemeHttps || !o.RequireHttpsMetadata,
                "Web:Oidc:Authority must be an https URL (set Web:Oidc:RequireHttpsMetadata=false only for a test provider).")
            .ValidateOnStart();
        builder.Services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.DevelopmentSignIn || environment.IsDevelopment(),
                "Web:DevelopmentSignIn lets anyone sign in as anyone and is only for the Development environment; turn it off and set Web:Oidc.")
            .Validate<IOptions<OidcOptions>>((o, oidc) => o.DevelopmentSignIn || (oidc.Value.Authority is not null && !string.IsNullOrWhiteSpace(oidc.Value.ClientId)),
                "Web: set Web:Oidc:Authority and Web:Oidc:ClientId (the organisation's identity provider), or, in Development, Web:DevelopmentSignIn=true.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(WebOptions.Section).Get<WebOptions>() ?? new WebOptions();
        var oidcOptions = builder.Configuration.GetSection(OidcOptions.Section).Get<OidcOptions>() ?? new OidcOptions();

        // The NHS.UK frontend's files are this project's static web assets; outside Development a host built (not published)
        // from source finds them only through the static web assets manifest. A published app has them in wwwroot.
        if (builder is WebApplicationBuilder web)
            web.WebHost.UseStaticWebAssets();
        builder.Services.AddHttpContextAccessor();
        var authentication = builder.Services.AddAuthentication()
            .AddCookie(WebAuth.CookieScheme, o =>
            {
                o.Cookie.Name = WebAuth.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.LoginPath = "/sign-in";
                o.LogoutPath = "/sign-out";
                o.AccessDeniedPath = "/access-denied";
                o.ExpireTimeSpan = options.SessionLifetime;
                o.SlidingExpiration = false;
            });
        if (oidcOptions.Authority is not null)
        {
            authentication.AddOpenIdConnect(WebAuth.OidcScheme, o =>
            {
                var oidc = oidcOptions;
                o.SignInScheme = WebAuth.CookieScheme;
                o.Authority = oidc.Authority.ToString();
                o.ClientId = oidc.ClientId;
                o.ClientSecret = oidc.ClientSecret;
                o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
                o.ResponseType = "code";
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = oidc.GetClaimsFromUserInfoEndpoint;
                o.CallbackPath = "/signin-oidc";
                o.SignedOutCallbackPath = "/signout-callback-oidc";
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                foreach (var scope in oidc.Scopes)
                    o.Scope.Add(scope);
                o.CorrelationCookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                o.NonceCookie.SecurePolicy = o.CorrelationCookie.SecurePolicy;
                o.Events.OnTicketReceived = context =>
                {
                    context.Principal = ClaimMapping.ToPassport(context.Principal!, oidc);
                    return Task.CompletedTask;
                };
            });
        }
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(WebAuth.SignedIn, p => p.AddAuthenticationSchemes(WebAuth.CookieScheme).RequireAuthenticatedUser().RequireClaim(PassportClaims.Organisation))
            .AddPolicy(WebAuth.Hr, p => p.AddAuthenticationSchemes(WebAuth.CookieScheme).RequireClaim(PassportClaims.Organisation)
                .RequireRole(PassportRoles.HrIssuer, PassportRoles.OrganisationAdmin))
            .AddPolicy(WebAuth.Verifier, p => p.AddAuthenticationSchemes(WebAuth.CookieScheme).RequireClaim(PassportClaims.Organisation)
                .RequireRole(PassportRoles.Verifier, PassportRoles.OrganisationAdmin))
            .AddPolicy(WebAuth.Admin, p => p.AddAuthenticationSchemes(WebAuth.CookieScheme).RequireClaim(PassportClaims.Organisation)
                .RequireRole(PassportRoles.OrganisationAdmin))
            // No staff record claim required: the API links a sign-in to its record by subject, and an unlinked one redeems HR's enrolment code.
            .AddPolicy(WebAuth.Staff, p => p.AddAuthenticationSchemes(WebAuth.CookieScheme).RequireClaim(PassportClaims.Organisation)
                .RequireRole(PassportRoles.Staff));

        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "passport-web-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Antiforgery refuses to run at all over http with Always: development and test sites are plain http on loopback.
            o.Cookie.SecurePolicy = environment.AllowsEmbeddedDefaults() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        builder.Services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/Staff", WebAuth.Hr);
                o.Conventions.AddPageRoute("/Staff/Edit", "/staff/new");
                o.Conventions.AuthorizeFolder("/Import", WebAuth.Hr);
                o.Conventions.AuthorizeFolder("/Deployed", WebAuth.Hr);
                o.Conventions.AuthorizeFolder("/Agreements", WebAuth.Verifier);
                o.Conventions.AuthorizePage("/Agreements/Edit", WebAuth.Admin);
                o.Conventions.AddPageRoute("/Agreements/Edit", "/agreements/new");
                o.Conventions.AuthorizeFolder("/Check", WebAuth.Verifier);
                o.Conventions.AuthorizeFolder("/Deployments", WebAuth.Verifier);
                o.Conventions.AuthorizeFolder("/MyPassport", WebAuth.Staff);
                o.Conventions.AuthorizeFolder("/Settings", WebAuth.Admin);
                o.Conventions.AuthorizeFolder("/MutualAid", WebAuth.Hr);
                o.Conventions.AuthorizeFolder("/Hosting", WebAuth.Verifier);
            })
            .AddMvcOptions(o => o.Filters.Add<PageFilters>())
            .AddApplicationPart(typeof(WebModule).Assembly);

        builder.Services.AddSingleton<ApiAddresses>();
        builder.Services.AddTransient<AccessTokenHandler>();
        builder.Services.AddHttpClient<IssuerApi>((sp, http) => http.BaseAddress = sp.GetRequiredService<ApiAddresses>().Issuer)
            .AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<VerifierApi>((sp, http) => http.BaseAddress = sp.GetRequiredService<ApiAddresses>().Verifier)
            .AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<MutualAidHomeApi>((sp, http) => http.BaseAddress = sp.GetRequiredService<ApiAddresses>().Issuer)
            .AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<MutualAidHostApi>((sp, http) => http.BaseAddress = sp.GetRequiredService<ApiAddresses>().Verifier)
            .AddHttpMessageHandler<AccessTokenHandler>();
        builder.Services.AddHttpClient<DevelopmentSignIn>((sp, http) => http.BaseAddress = sp.GetRequiredService<ApiAddresses>().Issuer);
        builder.Services.AddScoped<Directory>();
        return builder;
    }

    /// <summary>Runs a page's endpoint in place of the response that failed, keeping its status code.</summary>
    private static async Task RenderPageAsync(HttpContext context, string page)
    {
        var endpoint = context.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints
            .FirstOrDefault(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>()?.ViewEnginePath == page);
        if (endpoint?.RequestDelegate is null)
            return;
        context.Request.RouteValues.Clear();
        context.Request.RouteValues["page"] = page;
        context.SetEndpoint(endpoint);
        await endpoint.RequestDelegate(context);
    }

    private static bool IsPageRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal)
        && context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The pages, their static assets (the NHS.UK frontend, served at the site's root) and the sign-in endpoints.</summary>
    public static WebApplication MapPassportWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<WebOptions>>().Value.TrustForwardedHeaders)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            app.UseForwardedHeaders(forwarded);
        }
        // The host's default scheme is the APIs' bearer token: pages that allow anonymous visitors still show who is signed in.
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true && !context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                && context.Request.Cookies.ContainsKey(WebAuth.CookieName))
            {
                var result = await context.AuthenticateAsync(WebAuth.CookieScheme);
                if (result.Succeeded)
                    context.User = result.Principal;
            }
            await next();
        });
        // A person's browser gets a page for a missing page or a failure; API clients keep their problem details.
        app.UseWhen(IsPageRequest, page => page.Use(async (context, next) =>
        {
            try
            {
                await next();
            }
            catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Passport.Web.Pages").LogError(ex, "A page failed: {Path}", context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await RenderPageAsync(context, "/Error");
                return;
            }
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted && context.Response.ContentLength is null
                && context.Response.ContentType is null)
            {
                await RenderPageAsync(context, "/NotFound");
            }
        }));
        app.MapStaticAssets();
        app.MapRazorPages();
        app.MapSignIn();
        return app;
    }
}

public static class WebAuth
{
    public const string CookieScheme = "PassportWeb";
    public const string CookieName = "passport-web";
    public const string OidcScheme = "PassportOidc";
    public const string SignedIn = "web:signed-in";
    public const string Hr = "web:hr";
    public const string Verifier = "web:verifier";
    public const string Staff = "web:staff";
    public const string Admin = "web:admin";
}

/// <summary>
/// Where the Issuer and Verifier APIs answer: configured, or else this same process (the embedded host), reached the way a
/// client on this machine reaches it.
/// </summary>
internal sealed class ApiAddresses(IOptions<WebOptions> options, IServer server)
{
    public Uri Issuer => WithSlash(options.Value.IssuerApiBaseUrl) ?? Self();

    public Uri Verifier => WithSlash(options.Value.VerifierApiBaseUrl) ?? Self();

    private Uri Self()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault() ?? "http://localhost:5000";
        address = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return new Uri(address.TrimEnd('/') + "/");
    }

    private static Uri? WithSlash(Uri? uri) => uri is null ? null : new Uri(uri.ToString().TrimEnd('/') + "/");
}
