using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Deployments;

/// <summary>Starts a deployment from an accepted decision: the person and their home organisation come from what they presented.</summary>
public sealed class NewDeploymentModel(VerifierApi verifier, Directory directory) : FormPage
{
    [BindProperty(SupportsGet = true, Name = "decision")]
    public Guid DecisionId { get; set; }

    public Decision? Decision { get; private set; }

    public string HomeName { get; private set; } = "";

    private string? _homeOds;

    [BindProperty] public string? Site { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        Start = DateInput.Of(Decision!.Start);
        End = DateInput.Of(Decision.End);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if (string.IsNullOrWhiteSpace(Site))
            AddError("site", "Enter where they will work");
        else if (Site.Length > 200)
            AddError("site", "Where they will work must be 200 characters or fewer");
        var start = Start.Read(this, "start", "the first day");
        var end = End.Read(this, "end", "the last day");
        if (start is { } s && end is { } e && e < s)
            AddError("end-day", "The last day must be the same as or after the first day");
        if (!Decision!.Accepted || _homeOds is null || !Guid.TryParse(Decision.Subject, out var staffId))
            AddError("site", "This check did not accept the person, so they cannot be deployed from it");
        if (HasErrors)
            return Page();

        var result = await verifier.StartDeploymentAsync(DecisionId, _homeOds!, Guid.Parse(Decision.Subject!), Site!.Trim(), start, end, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "site", new Dictionary<string, string> { ["hostSite"] = "site", ["start"] = "start-day", ["end"] = "end-day" },
                static (_, message) => message.TrimEnd('.'));
            return Page();
        }
        TempData["Banner"] = result.Value!.State == "awaiting_approval"
            ? "The deployment is waiting for the home organisation's approval"
            : "The deployment has started";
        return Redirect($"/deployments/{result.Value.Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Decision = (await verifier.DecisionAsync(DecisionId, cancellationToken)).Value;
        if (Decision is null)
            return false;
        var home = await directory.OrganisationByIssuerAsync(Decision.SubjectIssuer, cancellationToken);
        _homeOds = home?.OdsCode;
        HomeName = home?.Name ?? "an organisation not registered here";
        return true;
    }
}
