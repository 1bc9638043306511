using Microsoft.AspNetCore.Mvc;
using Passport.ServiceDefaults;
using Passport.Web.Api;

namespace Passport.Web.Pages.MutualAid;

/// <summary>HR's mutual-aid requests, and a form to raise one: a host, its agreement, a role, dates, and who to ask.</summary>
public sealed class AidRequestsModel(MutualAidHomeApi aid, Directory directory) : FormPage
{
    private static readonly Dictionary<string, string> ApiFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hostOdsCode"] = "host", ["agreementId"] = "agreement", ["role"] = "role", ["start"] = "start-day", ["end"] = "end-day",
        ["staffIds"] = "assignments", ["staffGroup"] = "staffGroup", ["jobTitle"] = "jobTitle", ["csv"] = "assignments",
    };

    private IReadOnlyList<Organisation> _organisations = [];

    public IReadOnlyList<AidRequestSummary> Requests { get; private set; } = [];

    public IReadOnlyList<Choice> Hosts { get; private set; } = [];

    [BindProperty] public string? Host { get; set; }
    [BindProperty] public string? Agreement { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();
    [BindProperty] public string? StaffGroup { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Assignments { get; set; }

    public string NameOf(string ods) => _organisations.FirstOrDefault(o => string.Equals(o.OdsCode, ods, StringComparison.OrdinalIgnoreCase))?.Name ?? ods;

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Hosts.All(h => h.Value != Host))
            AddError("host", "Select the organisation they would go to");
        if (!Guid.TryParse(Agreement?.Trim(), out var agreementId))
            AddError("agreement", "Enter the agreement reference the host gave you");
        if (string.IsNullOrWhiteSpace(Role))
            AddError("role", "Enter the role");
        var start = Start.Read(this, "start", "the first day");
        var end = End.Read(this, "end", "the last day");
        var numbers = (Assignments ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (string.IsNullOrWhiteSpace(StaffGroup) && string.IsNullOrWhiteSpace(JobTitle) && numbers.Length == 0)
            AddError("staffGroup", "Enter a staff group, a job title or the assignment numbers of the people to ask");
        if (HasErrors)
            return Page();
        var csv = numbers.Length == 0 ? null : "assignment_number\n" + string.Join('\n', numbers.Select(n => n.Contains(',', StringComparison.Ordinal) || n.Contains('"', StringComparison.Ordinal) ? $"\"{n.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : n));
        var result = await aid.RaiseAsync(Host, agreementId, Role!.Trim(), start, end, null, Blank(StaffGroup), Blank(JobTitle), csv, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "host", ApiFields);
            return Page();
        }
        var asked = result.Value!.Counts.Members;
        TempData["Banner"] = $"{asked} {(asked == 1 ? "person has" : "people have")} been asked to consent";
        return Redirect($"/mutual-aid/{result.Value.Id}");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        var own = User.FindFirst(PassportClaims.Organisation)?.Value;
        Hosts = [new Choice("", "Select an organisation"), .. _organisations.Where(o => o.OdsCode != own).Select(o => new Choice(o.OdsCode, o.Name))];
        Requests = (await aid.RequestsAsync(cancellationToken)).Value ?? [];
    }
}
