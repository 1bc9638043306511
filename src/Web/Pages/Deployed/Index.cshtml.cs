using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Deployed;

/// <summary>HR at the home organisation: where their staff are deployed, now and before; approve or decline a request.</summary>
public sealed class DeployedModel(IssuerApi issuer, Directory directory) : FormPage
{
    private Dictionary<Guid, string> _people = [];
    private IReadOnlyList<Organisation> _organisations = [];

    public IReadOnlyList<HomeDeployment> Waiting { get; private set; } = [];

    public IReadOnlyList<HomeDeployment> Others { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken cancellationToken)
    {
        var result = await issuer.ApproveDeploymentAsync(id, cancellationToken);
        if (result.Problem is not null)
        {
            await LoadAsync(cancellationToken);
            AddError($"reason-{id:N}", "It could not be approved: it may have been decided already");
            return Page();
        }
        TempData["Banner"] = "The deployment was approved";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeclineAsync(Guid id, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            await LoadAsync(cancellationToken);
            AddError($"reason-{id:N}", string.IsNullOrWhiteSpace(reason) ? "Enter why you are declining it" : "The reason must be 500 characters or fewer");
            return Page();
        }
        var result = await issuer.DeclineDeploymentAsync(id, reason.Trim(), cancellationToken);
        if (result.Problem is not null)
        {
            await LoadAsync(cancellationToken);
            AddError($"reason-{id:N}", "It could not be declined: it may have been decided already");
            return Page();
        }
        TempData["Banner"] = "The deployment was declined";
        return RedirectToPage();
    }

    public string PersonName(Guid staffId) => _people.GetValueOrDefault(staffId, "A member of staff");

    public string OrganisationName(string ods) => _organisations.FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name ?? "another organisation";

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var all = (await issuer.HomeDeploymentsAsync(cancellationToken)).Value ?? [];
        Waiting = [.. all.Where(d => d.State == "awaiting_approval")];
        Others = [.. all.Where(d => d.State != "awaiting_approval")];
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        var people = await Task.WhenAll(all.Select(d => d.StaffId).Distinct().Take(100).Select(id => issuer.StaffAsync(id, cancellationToken)));
        _people = people.Where(p => p.Value is not null).ToDictionary(p => p.Value!.Id, p => $"{p.Value!.GivenName} {p.Value.FamilyName}");
    }
}
