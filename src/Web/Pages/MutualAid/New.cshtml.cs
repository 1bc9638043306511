using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.MutualAid;

/// <summary>
/// HR asks staff to go to a host: the host's agreement chosen by name, one of its roles, dates, and the people ticked on a
/// list filtered by staff group and job title, or named by a CSV file of assignment numbers. No JavaScript: filtering posts
/// the form back with everything kept.
/// </summary>
public sealed class NewAidRequestModel(MutualAidHomeApi aid, MutualAidHostApi host, Directory directory, TimeProvider time) : FormPage
{
    public const int ListSize = 100;

    private static readonly Dictionary<string, string> ApiFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hostOdsCode"] = "agreement", ["agreementId"] = "agreement", ["role"] = "role", ["start"] = "start-day", ["end"] = "end-day",
        ["staffIds"] = "staff", ["staffGroup"] = "staffGroup", ["jobTitle"] = "jobTitle", ["search"] = "search", ["csv"] = "file",
    };

    public IReadOnlyList<PartnerAgreement> Agreements { get; private set; } = [];

    public PartnerAgreement? Chosen { get; private set; }

    public string HostName { get; private set; } = "";

    public IReadOnlyList<Choice> AgreementChoices { get; private set; } = [];

    public IReadOnlyList<Choice> Roles { get; private set; } = [];

    public AidCandidatePage? Candidates { get; private set; }

    /// <summary>People ticked earlier who the current filter does not show; kept so filtering loses nobody.</summary>
    public IReadOnlyList<Guid> PickedElsewhere { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public Guid? Agreement { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();
    [BindProperty] public string? StaffGroup { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string? Search { get; set; }
    [BindProperty] public List<Guid> StaffIds { get; set; } = [];
    [BindProperty] public string? Action { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAgreementsAsync(cancellationToken);
        if (Chosen is null && Request.Query.ContainsKey("choose"))
            AddError("agreement", "Select the agreement they will go under");
        if (Chosen is not null)
        {
            (Start, End) = AidForm.FirstDates(Terms(Chosen), time);
            await LoadCandidatesAsync(cancellationToken);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        await LoadAgreementsAsync(cancellationToken);
        if (Chosen is null)
        {
            AddError("agreement", "Select the agreement they will go under");
            return Page();
        }
        await LoadCandidatesAsync(cancellationToken);
        if (Action == "filter")
            return Page();

        if (Roles.All(r => r.Value != Role))
            AddError("role", "Select the role they will work in");
        var (start, end) = AidForm.ReadDates(this, Start, End, Terms(Chosen), time);
        var csv = await AidForm.ReadCsvAsync(this, file, cancellationToken);
        if (StaffIds.Count == 0 && csv is null && ErrorFor("file") is null)
            AddError("staff", "Select the people to ask, or upload a CSV file of their assignment numbers");
        if (HasErrors)
            return Page();

        var result = await aid.RaiseAsync(Chosen.HostOdsCode, Chosen.Id, Role, start, end, StaffIds.Count == 0 ? null : StaffIds, null, null, csv, cancellationToken);
        if (result.Problem is { } problem)
        {
            AidForm.AddRaiseProblem(this, problem, ApiFields);
            return Page();
        }
        var asked = result.Value!.Counts.Members;
        TempData["Banner"] = $"{asked} {(asked == 1 ? "person has" : "people have")} been asked to consent";
        return Redirect($"/mutual-aid/{result.Value.Id}");
    }

    public bool IsPicked(Guid id) => StaffIds.Contains(id);

    private static AidTerms Terms(PartnerAgreement agreement) => new(agreement.StartsOn, agreement.EndsOn, agreement.MaxDeploymentDays);

    private async Task LoadAgreementsAsync(CancellationToken cancellationToken)
    {
        Agreements = (await host.PartnerAgreementsAsync(cancellationToken)).Value ?? [];
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ods in Agreements.Select(a => a.HostOdsCode).Distinct())
            names[ods] = await directory.OrganisationNameAsync(ods, cancellationToken);
        AgreementChoices = [.. Agreements.Select(a => new Choice(a.Id.ToString(), a.Title,
            $"With {names[a.HostOdsCode]}, {Words.Date(a.StartsOn)} to {Words.Date(a.EndsOn)}"))];
        Chosen = AidForm.Choose(Agreements, Agreement, a => a.Id);
        if (Chosen is null)
            return;
        Agreement = Chosen.Id;
        HostName = names[Chosen.HostOdsCode];
        Roles = AidForm.Roles(Chosen.Roles);
    }

    private async Task LoadCandidatesAsync(CancellationToken cancellationToken)
    {
        StaffGroup = string.IsNullOrWhiteSpace(StaffGroup) ? null : StaffGroup.Trim();
        JobTitle = string.IsNullOrWhiteSpace(JobTitle) ? null : JobTitle.Trim();
        Search = string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
        var result = await aid.CandidatesAsync(StaffGroup, JobTitle, Search, ListSize, cancellationToken);
        Candidates = result.Value;
        if (result.Problem is { } problem)
            AddProblem(problem, "staffGroup", ApiFields);
        var shown = (Candidates?.Items ?? []).Select(c => c.Id).ToHashSet();
        StaffIds = [.. StaffIds.Distinct()];
        PickedElsewhere = [.. StaffIds.Where(id => !shown.Contains(id))];
    }
}
