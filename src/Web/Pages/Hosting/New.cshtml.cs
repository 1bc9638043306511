using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;
using Passport.Web.Pages.MutualAid;

namespace Passport.Web.Pages.Hosting;

/// <summary>
/// The host's staffing team asks a home organisation for people, under an agreement that lets the host raise mutual aid:
/// people it hosted before, ticked on a list, or a CSV file of assignment numbers. The home organisation asks each to consent.
/// </summary>
public sealed class NewHostedAidModel(MutualAidHostApi aid, Directory directory, TimeProvider time) : FormPage
{
    private static readonly Dictionary<string, string> ApiFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["homeOdsCode"] = "home", ["agreementId"] = "staff", ["role"] = "role", ["start"] = "start-day", ["end"] = "end-day", ["staffIds"] = "staff", ["csv"] = "file",
    };

    public IReadOnlyList<RaisableAgreement> Agreements { get; private set; } = [];

    public RaisableAgreement? Chosen { get; private set; }

    public IReadOnlyList<Choice> AgreementChoices { get; private set; } = [];

    public IReadOnlyList<Choice> Homes { get; private set; } = [];

    public IReadOnlyList<Choice> Roles { get; private set; } = [];

    /// <summary>People hosted before from the agreement's home organisations, with words for the list.</summary>
    public IReadOnlyList<(AidVisitor Visitor, string Hint)> Visitors { get; private set; } = [];

    [BindProperty(SupportsGet = true)] public Guid? Agreement { get; set; }
    [BindProperty] public string? Home { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();
    [BindProperty] public List<Guid> StaffIds { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Chosen is null && Request.Query.ContainsKey("choose"))
            AddError("agreement", "Select the agreement you are asking under");
        if (Chosen is not null)
            (Start, End) = AidForm.FirstDates(Terms(Chosen), time);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Chosen is null)
        {
            AddError("agreement", "Select the agreement you are asking under");
            return Page();
        }
        if (Homes.All(h => h.Value != Home))
            AddError("home", "Select the organisation you are asking");
        if (Roles.All(r => r.Value != Role))
            AddError("role", "Select the role they will work in");
        var (start, end) = AidForm.ReadDates(this, Start, End, Terms(Chosen), time);
        var picked = StaffIds.Distinct().ToList();
        if (Home is not null && Visitors.Any(v => picked.Contains(v.Visitor.StaffId) && v.Visitor.HomeOdsCode != Home))
            AddError("staff", "Select only people who came from the organisation you are asking");
        var csv = await AidForm.ReadCsvAsync(this, file, cancellationToken);
        if (picked.Count == 0 && csv is null && ErrorFor("file") is null)
            AddError(Visitors.Count == 0 ? "file" : "staff", Visitors.Count == 0
                ? "Upload a CSV file of the assignment numbers of the people to ask for"
                : "Select the people to ask for, or upload a CSV file of their assignment numbers");
        if (HasErrors)
            return Page();

        var result = await aid.RaiseAsync(Chosen.Id, Home, Role, start, end, picked.Count == 0 ? null : picked, csv, cancellationToken);
        if (result.Problem is { } problem)
        {
            AidForm.AddRaiseProblem(this, problem, ApiFields);
            return Page();
        }
        TempData["Banner"] = $"Your request has been sent to {await directory.OrganisationNameAsync(Home, cancellationToken)}. They will ask each person to consent";
        return Redirect("/hosting/mutual-aid");
    }

    public bool IsPicked(Guid id) => StaffIds.Contains(id);

    private static AidTerms Terms(RaisableAgreement agreement) => new(agreement.StartsOn, agreement.EndsOn, agreement.MaxDeploymentDays);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Agreements = (await aid.RaisableAgreementsAsync(cancellationToken)).Value ?? [];
        AgreementChoices = [.. Agreements.Select(a => new Choice(a.Id.ToString(), a.Title, $"{Words.Date(a.StartsOn)} to {Words.Date(a.EndsOn)}"))];
        Chosen = AidForm.Choose(Agreements, Agreement, a => a.Id);
        if (Chosen is null)
            return;
        Agreement = Chosen.Id;
        var homes = new List<Choice>();
        foreach (var ods in Chosen.HomeOdsCodes)
            homes.Add(new Choice(ods, await directory.OrganisationNameAsync(ods, cancellationToken)));
        Homes = homes;
        if (Homes.Count == 1)
            Home = Homes[0].Value;
        Roles = AidForm.Roles(Chosen.Roles);
        var visitors = (await aid.VisitorsAsync(cancellationToken)).Value ?? [];
        Visitors = [.. visitors.Where(v => Chosen.HomeOdsCodes.Contains(v.HomeOdsCode)).Select(v => (v,
            $"From {Homes.First(h => h.Value == v.HomeOdsCode).Text}; last here {Words.Date(v.LastStart)} to {Words.Date(v.LastEnd)}"))];
    }
}
