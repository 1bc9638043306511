using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

/// <summary>One credential: what it says, how it was checked, its status; withdraw, suspend, reinstate or re-issue it with a reason.</summary>
public sealed class CredentialModel(IssuerApi issuer, Directory directory, TimeProvider time) : FormPage
{
    public static readonly IReadOnlyList<Choice> Reasons =
    [
        new("issued_in_error", "Issued in error"),
        new("update_pending", "Update pending", "The facts are being checked again"),
        new("no_longer_valid", "No longer valid"),
    ];

    [FromRoute]
    public Guid Id { get; set; }

    [FromRoute]
    public Guid CredentialId { get; set; }

    public TimeProvider Time => time;

    public CredentialDetail? Credential { get; private set; }

    public string PersonName { get; private set; } = "";

    public string TypeName { get; private set; } = "";

    public IReadOnlyList<Fact> Facts { get; private set; } = [];

    public IReadOnlyList<Fact> Provenance { get; private set; } = [];

    public IReadOnlyList<Choice> Actions { get; private set; } = [];

    public string? Action { get; private set; }

    public string? Reason { get; private set; }

    public string? Note { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string? action, string? reason, string? note, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        (Action, Reason, Note) = (action, reason, note);
        if (Actions.All(a => a.Value != action))
            AddError("action", "Select what you want to do");
        if (action is "revoke" or "suspend" && Reasons.All(r => r.Value != reason))
            AddError("reason", action == "revoke" ? "Select why you are withdrawing it" : "Select why you are suspending it");
        if (note is { Length: > 1000 })
            AddError("note", "The note must be 1,000 characters or fewer");
        if (HasErrors)
            return Page();

        if (action == "reissue")
        {
            var reissued = await issuer.ReissueAsync(CredentialId, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), cancellationToken);
            if (reissued.Problem is { } p)
            {
                AddError("action", p.Code == "validation_failed" ? "It cannot be re-issued as it is: issue a new one with corrected facts" : Plain(p.Detail ?? "It could not be re-issued"));
                return Page();
            }
            TempData["Banner"] = $"{TypeName} was re-issued; the old one was withdrawn as replaced";
            return Redirect($"/staff/{Id}/credentials/{reissued.Value!.Id}");
        }

        var result = await issuer.ChangeStatusAsync(CredentialId, action!, action == "reinstate" ? null : reason, string.IsNullOrWhiteSpace(note) ? null : note.Trim(), cancellationToken);
        if (result.Problem is { } problem)
        {
            AddError("action", problem.Code == "invalid_status_transition" ? "Its status has just changed; check it and choose again" : "It could not be changed. Try again in a moment");
            await LoadAsync(cancellationToken);
            return Page();
        }
        TempData["Banner"] = action switch
        {
            "revoke" => $"{TypeName} was withdrawn",
            "suspend" => $"{TypeName} was suspended",
            _ => $"{TypeName} was reinstated",
        };
        return Redirect($"/staff/{Id}/credentials/{CredentialId}");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var credential = (await issuer.CredentialAsync(CredentialId, cancellationToken)).Value;
        if (credential is null || credential.StaffId != Id)
            return false;
        var staff = (await issuer.StaffAsync(Id, cancellationToken)).Value;
        Credential = credential;
        PersonName = staff is null ? "" : $"{staff.GivenName} {staff.FamilyName}";
        var type = (await directory.CatalogueAsync(cancellationToken)).FirstOrDefault(t => t.Type == credential.Type);
        TypeName = type?.Name ?? Words.Sentence(credential.Type);
        var claims = credential.Claims;
        if (type is not null && claims is not null)
        {
            Facts = [.. type.Claims.Where(f => claims[f.Name] is not null && f.Name is not ("employer_ods_code" or "host_ods_code"))
                .Select(f => new Fact(f.Label, Words.Value(claims[f.Name])))];
            if (claims["provenance"] is System.Text.Json.Nodes.JsonObject provenance)
                Provenance = [.. provenance.Select(p => new Fact(Words.Sentence(p.Key), Words.Value(p.Value)))];
        }
        Actions = credential.Status switch
        {
            "active" => [new("revoke", "Withdraw it", "For good: it can never be used again"), new("suspend", "Suspend it", "Until you reinstate it"), new("reissue", "Re-issue it", "With the facts and names as they are now; the old one is withdrawn")],
            "suspended" => [new("reinstate", "Reinstate it"), new("revoke", "Withdraw it", "For good: it can never be used again")],
            _ => [],
        };
        return true;
    }
}
