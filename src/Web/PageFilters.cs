using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Passport.Web.Api;

namespace Passport.Web;

/// <summary>
/// On every page: security headers (a CSP without inline script, no framing, no sniffing, no referrer, no caching of
/// personal data); and when the API refuses the person's token, a fresh sign-in that comes back to the same page.
/// </summary>
internal sealed class PageFilters(IOptions<OidcOptions> oidc) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        var provider = oidc.Value.Authority is { } authority ? " " + authority.GetLeftPart(UriPartial.Authority) : "";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' https://assets.nhs.uk; " +
            $"connect-src 'self'; form-action 'self'{provider}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is SignInAgainException)
        {
            executed.ExceptionHandled = true;
            await context.HttpContext.SignOutAsync(WebAuth.CookieScheme);
            var request = context.HttpContext.Request;
            executed.Result = new RedirectResult("/sign-in?returnUrl=" + Uri.EscapeDataString(request.Path + request.QueryString));
        }
    }
}
