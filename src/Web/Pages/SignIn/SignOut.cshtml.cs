using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Passport.Web.Pages.SignIn;

/// <summary>Signs out here and, after a sign-in through the identity provider, there too.</summary>
[AllowAnonymous]
public sealed class SignOutModel(IOptions<OidcOptions> oidc) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var viaProvider = (await HttpContext.AuthenticateAsync(WebAuth.CookieScheme)).Principal?.Identity?.AuthenticationType == "oidc";
        await HttpContext.SignOutAsync(WebAuth.CookieScheme);
        if (viaProvider && oidc.Value.Authority is not null)
            return SignOut(new AuthenticationProperties { RedirectUri = "/sign-out" }, WebAuth.OidcScheme);
        return RedirectToPage();
    }
}
