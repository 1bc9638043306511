using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Check;

/// <summary>A staffing team asks a person for what an agreement needs of a role and dates.</summary>
public sealed class CheckModel(VerifierApi verifier, TimeProvider time) : FormPage
{
    public IReadOnlyList<AgreementSummary> Agreements { get; private set; } = [];

    public Agreement? Agreement { get; private set; }

    public IReadOnlyList<Choice> Roles { get; private set; } = [];

    [BindProperty] public string? Role { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(Guid? agreement, CancellationToken cancellationToken)
    {
        Agreements = (await verifier.AgreementsAsync(cancellationToken)).Value ?? [];
        var chosen = agreement ?? (Agreements.Count == 1 ? Agreements[0].Id : null);
        if (chosen is { } id)
            await LoadAgreementAsync(id, cancellationToken);
        else if (Request.Query.ContainsKey("agreement"))
            AddError("agreement", "Select the agreement");
        if (Agreement is not null && Start.IsEmpty)
        {
            var today = Words.Today(time);
            Start = DateInput.Of(today);
            End = DateInput.Of(today.AddDays(13));
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid? agreement, CancellationToken cancellationToken)
    {
        Agreements = (await verifier.AgreementsAsync(cancellationToken)).Value ?? [];
        if (agreement is not { } id || !await LoadAgreementAsync(id, cancellationToken))
        {
            AddError("agreement", "Select the agreement");
            return Page();
        }
        if (Roles.All(r => r.Value != Role))
            AddError("role", "Select the role they will work in");
        var start = Start.Read(this, "start", "the first day");
        var end = End.Read(this, "end", "the last day");
        if (start is { } s && end is { } e && e < s)
            AddError("end-day", "The last day must be the same as or after the first day");
        if (HasErrors)
            return Page();

        var result = await verifier.AskAsync(id, Role!, start!.Value, end!.Value, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "role", new Dictionary<string, string> { ["role"] = "role", ["start"] = "start-day", ["end"] = "end-day" },
                static (_, message) => message.TrimEnd('.'));
            return Page();
        }
        return Redirect($"/check/{result.Value!.Id}");
    }

    private async Task<bool> LoadAgreementAsync(Guid id, CancellationToken cancellationToken)
    {
        Agreement = (await verifier.AgreementAsync(id, cancellationToken)).Value;
        if (Agreement is null)
            return false;
        Roles = [.. (Agreement.Document.Roles ?? []).Where(r => r.Role is not null).Select(r => new Choice(r.Role!, Words.Sentence(r.Role)))];
        return true;
    }
}
