using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Deployed;

/// <summary>
/// HR at the home organisation: one deployment of a member of their staff, where a message about it (approval needed, flagged)
/// links; approve or decline it here while it waits.
/// </summary>
public sealed class HomeDeploymentModel(IssuerApi issuer, Directory directory) : FormPage
{
    [FromRoute]
    public Guid Id { get; set; }

    public HomeDeployment? Deployment { get; private set; }

    public string PersonName { get; private set; } = "A member of staff";

    public string HostName { get; private set; } = "another organisation";

    public string? Reason { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        if ((await issuer.ApproveDeploymentAsync(Id, cancellationToken)).Problem is not null)
        {
            await LoadAsync(cancellationToken);
            AddError("reason", "It could not be approved: it may have been decided already");
            return Page();
        }
        TempData["Banner"] = "The deployment was approved";
        return Redirect($"/deployed/{Id}");
    }

    public async Task<IActionResult> OnPostDeclineAsync(string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        Reason = reason;
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            AddError("reason", string.IsNullOrWhiteSpace(reason) ? "Enter why you are declining it" : "The reason must be 500 characters or fewer");
            return Page();
        }
        if ((await issuer.DeclineDeploymentAsync(Id, reason.Trim(), cancellationToken)).Problem is not null)
        {
            await LoadAsync(cancellationToken);
            AddError("reason", "It could not be declined: it may have been decided already");
            return Page();
        }
        TempData["Banner"] = "The deployment was declined";
        return Redirect($"/deployed/{Id}");
    }

    /// <summary>A flag's detail is "credential_revoked: type": the kind in words, the type left to the person's passport page.</summary>
    public static string FlagKind(string? detail) => detail?.Split(':', 2)[0].Trim() ?? "";

    public static string EventWords(string kind, string? detail, string hostName) => kind switch
    {
        "requested" => $"Requested by {hostName}",
        "approved" => "Approved by your organisation",
        "declined" => "Declined by your organisation",
        "started" => "Started",
        "extended" => "Extended",
        "ended" => "Ended",
        "flagged" => Words.Flag(FlagKind(detail)),
        _ => Words.Sentence(kind),
    };

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Deployment = (await issuer.HomeDeploymentAsync(Id, cancellationToken)).Value;
        if (Deployment is null)
            return false;
        if ((await issuer.StaffAsync(Deployment.StaffId, cancellationToken)).Value is { } person)
            PersonName = Words.PersonName(person.GivenName, person.FamilyName);
        var organisations = await directory.OrganisationsAsync(cancellationToken);
        HostName = organisations.FirstOrDefault(o => string.Equals(o.OdsCode, Deployment.HostOdsCode, StringComparison.OrdinalIgnoreCase))?.Name ?? HostName;
        return true;
    }
}
