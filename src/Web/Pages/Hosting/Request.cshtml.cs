using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Hosting;

/// <summary>The host reviews a mutual-aid request, person by person, and starts every accepted deployment in one action.</summary>
public sealed class HostedAidModel(MutualAidHostApi aid, Directory directory) : FormPage
{
    [FromRoute]
    public Guid Id { get; set; }

    public HostedAidRequest? Aid { get; private set; }

    public string HomeName { get; private set; } = "";

    public int Accepted => Aid?.Members.Count(m => m.State == "accepted") ?? 0;

    [BindProperty] public string? HostSite { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (string.IsNullOrWhiteSpace(HostSite))
            AddError("hostSite", "Enter the site they will work at");
        else if (HostSite.Trim().Length > 200)
            AddError("hostSite", "The site must be 200 characters or fewer");
        if (HasErrors)
            return Page();
        var result = await aid.StartAllAsync(Id, HostSite!.Trim(), cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "hostSite", new Dictionary<string, string> { ["hostSite"] = "hostSite" });
            return Page();
        }
        TempData["Banner"] = $"Starting {Accepted} {(Accepted == 1 ? "deployment" : "deployments")} at {HostSite.Trim()}";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Aid = (await aid.RequestAsync(Id, cancellationToken)).Value;
        if (Aid is null)
            return false;
        HomeName = await directory.OrganisationNameAsync(Aid.HomeOdsCode, cancellationToken);
        HostSite ??= Aid.HostSite;
        return true;
    }
}
