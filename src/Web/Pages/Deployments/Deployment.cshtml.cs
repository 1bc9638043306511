using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Deployments;

/// <summary>One deployment: its flags, dates and the credentials it relies on; extend or end it.</summary>
public sealed class DeploymentModel(VerifierApi verifier, IssuerApi issuer, Directory directory) : FormPage
{
    [FromRoute]
    public Guid Id { get; set; }

    public Deployment? Deployment { get; private set; }

    public string Who { get; private set; } = "";

    public string HomeName { get; private set; } = "";

    public IReadOnlyList<string> Credentials { get; private set; } = [];

    /// <summary>The placement credential the host issued the person (licence to attend), when the Issuer has one.</summary>
    public Placement? Placement { get; private set; }

    public string? PlacementQrDataUri { get; private set; }

    [BindProperty] public DateInput NewEnd { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostExtendAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var newEnd = NewEnd.Read(this, "newEnd", "the new last day");
        if (newEnd is { } n && n <= Deployment!.End)
            AddError("newEnd-day", $"The new last day must be after {Words.Date(Deployment.End)}");
        if (HasErrors)
            return Page();
        var result = await verifier.ExtendAsync(Id, newEnd, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddError("newEnd-day", Plain(problem.Detail ?? "It could not be extended").TrimEnd('.'));
            return Page();
        }
        TempData["Banner"] = $"The deployment now ends on {Words.Date(newEnd)}";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEndAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var result = await verifier.EndAsync(Id, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddError("end", Plain(problem.Detail ?? "It could not be ended").TrimEnd('.'));
            return Page();
        }
        TempData["Banner"] = "The deployment has ended";
        return RedirectToPage();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Deployment = (await verifier.DeploymentAsync(Id, cancellationToken)).Value;
        if (Deployment is null)
            return false;
        var organisations = await directory.OrganisationsAsync(cancellationToken);
        Who = DeploymentWords.Who(Deployment, organisations);
        HomeName = await directory.OrganisationNameAsync(Deployment.HomeOdsCode, cancellationToken);
        var credentials = new List<string>();
        foreach (var c in Deployment.Credentials)
            credentials.Add(await directory.TypeNameByVctAsync(c.Vct, cancellationToken) + (c.ExpiresAt is { } e ? $", valid until {Words.Date(e.AddSeconds(-1))}" : ""));
        Credentials = credentials;
        Placement = (await issuer.PlacementAsync(Id, cancellationToken)).Value;
        PlacementQrDataUri = Placement?.Offer is { } offer ? Staff.Qr.DataUri(offer.OfferUri) : null;
        return true;
    }
}
