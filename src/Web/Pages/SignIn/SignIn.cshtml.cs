using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Web.Api;
using Passport.Web.SignIn;

namespace Passport.Web.Pages.SignIn;

[AllowAnonymous]
public sealed class SignInModel(DevelopmentSignIn development, IOptions<OidcOptions> oidc) : FormPage
{
    public bool Development => development.Enabled;

    public bool ProviderConfigured => oidc.Value.Authority is not null;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Organisation { get; set; }

    public string? Role { get; set; }

    internal IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    internal IReadOnlyList<DevelopmentSignIn.DemoStaff> Staff { get; private set; } = [];

    public IReadOnlyList<Choice> Roles { get; } =
    [
        new(PassportRoles.HrIssuer, Words.Role(PassportRoles.HrIssuer), "Staff records, credentials and offers"),
        new(PassportRoles.Verifier, Words.Role(PassportRoles.Verifier), "Check people against agreements and deploy them"),
        new(PassportRoles.OrganisationAdmin, Words.Role(PassportRoles.OrganisationAdmin), "Everything HR and the staffing team do"),
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Development)
            await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostTeamAsync(string? organisation, string? role, CancellationToken cancellationToken)
    {
        if (!Development)
            return NotFound();
        await LoadAsync(cancellationToken);
        (Organisation, Role) = (organisation, role);
        var chosen = Organisations.FirstOrDefault(o => o.OdsCode == organisation);
        if (chosen is null)
            AddError("organisation", "Select the organisation to sign in to");
        if (Roles.All(r => r.Value != role))
            AddError("role", "Select your role");
        if (HasErrors)
            return Page();
        await development.SignInAsync(HttpContext, chosen!.OdsCode, [role!], null, $"Demo {Words.Role(role).ToLowerInvariant()}", cancellationToken);
        return LocalRedirect(Landing(role!));
    }

    public async Task<IActionResult> OnPostStaffAsync(Guid? staffId, CancellationToken cancellationToken)
    {
        if (!Development)
            return NotFound();
        await LoadAsync(cancellationToken);
        var person = Staff.FirstOrDefault(s => s.Id == staffId);
        if (person is null)
        {
            AddError("staff", "Select the member of staff to sign in as");
            return Page();
        }
        await development.SignInAsync(HttpContext, person.OdsCode, [PassportRoles.Staff], person.Id, person.Name, cancellationToken, person.Subject);
        return LocalRedirect(Landing(PassportRoles.Staff));
    }

    private string Landing(string role)
    {
        var returnUrl = SignInEndpoints.LocalOnly(ReturnUrl);
        if (returnUrl != "/")
            return returnUrl;
        return role switch
        {
            PassportRoles.Staff => "/my-passport",
            PassportRoles.Verifier => "/check",
            _ => "/staff",
        };
    }

    private async Task LoadAsync(CancellationToken cancellationToken) => (Organisations, Staff) = await development.DemoUsersAsync(cancellationToken);
}
