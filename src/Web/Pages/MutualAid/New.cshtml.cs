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
    private const int MaxFileBytes = 1024 * 1024;

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
            var today = Words.Today(time);
            var first = today < Chosen.StartsOn ? Chosen.StartsOn : today.AddDays(1);
            Start = DateInput.Of(first);
            End = DateInput.Of(first.AddDays(Math.Min(13, Chosen.MaxDeploymentDays - 1)));
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
        var start = Start.Read(this, "start", "the first day");
        var end = End.Read(this, "end", "the last day");
        if (start is { } s && end is { } e)
        {
            if (e < s)
                AddError("end-day", "The last day must be the same as or after the first day");
            else if (s < Chosen.StartsOn || e > Chosen.EndsOn)
                AddError("start-day", $"The dates must be within the agreement, {Words.Date(Chosen.StartsOn)} to {Words.Date(Chosen.EndsOn)}");
            else if (e.DayNumber - s.DayNumber + 1 > Chosen.MaxDeploymentDays)
                AddError("end-day", $"The agreement allows at most {Chosen.MaxDeploymentDays} days; these dates are {e.DayNumber - s.DayNumber + 1} days");
            else if (e < Words.Today(time))
                AddError("end-day", "The last day must be today or in the future");
        }
        var csv = await ReadFileAsync(file, cancellationToken);
        if (StaffIds.Count == 0 && csv is null && ErrorFor("file") is null)
            AddError("staff", "Select the people to ask, or upload a CSV file of their assignment numbers");
        if (HasErrors)
            return Page();

        var result = await aid.RaiseAsync(Chosen.HostOdsCode, Chosen.Id, Role, start, end, StaffIds.Count == 0 ? null : StaffIds, null, null, csv, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddProblem(problem, "staff", ApiFields, static (name, message) => name == "csv" ? $"The file cannot be used: {message.TrimEnd('.')}" : message.TrimEnd('.'));
            return Page();
        }
        var asked = result.Value!.Counts.Members;
        TempData["Banner"] = $"{asked} {(asked == 1 ? "person has" : "people have")} been asked to consent";
        return Redirect($"/mutual-aid/{result.Value.Id}");
    }

    public bool IsPicked(Guid id) => StaffIds.Contains(id);

    private async Task<string?> ReadFileAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
            return null;
        if (!string.Equals(Path.GetExtension(file.FileName), ".csv", StringComparison.OrdinalIgnoreCase))
            AddError("file", "The selected file must be a CSV");
        else if (file.Length == 0)
            AddError("file", "The selected file is empty");
        else if (file.Length > MaxFileBytes)
            AddError("file", "The file must be smaller than 1 MB");
        else
        {
            using var reader = new StreamReader(file.OpenReadStream());
            return await reader.ReadToEndAsync(cancellationToken);
        }
        return null;
    }

    private async Task LoadAgreementsAsync(CancellationToken cancellationToken)
    {
        Agreements = (await host.PartnerAgreementsAsync(cancellationToken)).Value ?? [];
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ods in Agreements.Select(a => a.HostOdsCode).Distinct())
            names[ods] = await directory.OrganisationNameAsync(ods, cancellationToken);
        AgreementChoices = [.. Agreements.Select(a => new Choice(a.Id.ToString(), a.Title,
            $"With {names[a.HostOdsCode]}, {Words.Date(a.StartsOn)} to {Words.Date(a.EndsOn)}"))];
        var chosen = Agreement ?? (Agreements.Count == 1 ? Agreements[0].Id : null);
        Chosen = Agreements.FirstOrDefault(a => a.Id == chosen);
        if (Chosen is null)
            return;
        Agreement = Chosen.Id;
        HostName = names[Chosen.HostOdsCode];
        Roles = [.. Chosen.Roles.Select(r => new Choice(r, Words.Sentence(r)))];
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
