using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.ServiceDefaults;

namespace Passport.Web.Pages;

/// <summary>The start page; a signed-in person goes straight to what their role does.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect(HomeFor(User)) : Page();

    public static string HomeFor(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(PassportRoles.HrIssuer) || user.IsInRole(PassportRoles.OrganisationAdmin))
            return "/staff";
        if (user.IsInRole(PassportRoles.Verifier))
            return "/check";
        if (user.IsInRole(PassportRoles.Staff))
            return "/my-passport";
        return "/access-denied";
    }
}
