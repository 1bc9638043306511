using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Settings;

/// <summary>An organisation administrator's settings: the organisation's name on credentials and the name wallets show when it asks for a passport.</summary>
public sealed class SettingsModel(IssuerApi issuer, VerifierApi verifier, Directory directory) : FormPage
{
    [BindProperty] public string? OrganisationName { get; set; }

    [BindProperty] public string? WalletName { get; set; }

    public bool Registered { get; private set; }

    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var organisation = await issuer.OrganisationAsync(cancellationToken);
        Registered = organisation.Ok;
        OrganisationName = organisation.Value?.Name;
        WalletName = (await verifier.ProfileAsync(cancellationToken)).Value?.Name;
    }

    public async Task<IActionResult> OnPostOrganisationAsync(CancellationToken cancellationToken)
    {
        WalletName = (await verifier.ProfileAsync(cancellationToken)).Value?.Name;
        if (string.IsNullOrWhiteSpace(OrganisationName))
            AddError("organisationName", "Enter your organisation's name");
        else if (OrganisationName.Trim().Length > 200)
            AddError("organisationName", "Your organisation's name must be 200 characters or fewer");
        if (HasErrors)
            return Page();
        var result = await issuer.SaveOrganisationAsync(OrganisationName, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "organisationName", new Dictionary<string, string> { ["name"] = "organisationName" },
                (_, _) => "Your organisation's name must be 200 characters or fewer");
            return Page();
        }
        directory.Forget();
        TempData["Banner"] = "Your organisation's name was saved";
        return Redirect("/settings");
    }

    public async Task<IActionResult> OnPostWalletsAsync(CancellationToken cancellationToken)
    {
        var organisation = await issuer.OrganisationAsync(cancellationToken);
        Registered = organisation.Ok;
        OrganisationName = organisation.Value?.Name;
        if (string.IsNullOrWhiteSpace(WalletName))
            AddError("walletName", "Enter the name people see in their wallet app");
        else if (WalletName.Trim().Length > 200)
            AddError("walletName", "The name people see in their wallet app must be 200 characters or fewer");
        if (HasErrors)
            return Page();
        var result = await verifier.SaveProfileAsync(WalletName, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "walletName", new Dictionary<string, string> { ["name"] = "walletName" },
                (_, _) => "The name people see in their wallet app must be 200 characters or fewer");
            return Page();
        }
        TempData["Banner"] = "The name people see in their wallet app was saved";
        return Redirect("/settings");
    }
}
