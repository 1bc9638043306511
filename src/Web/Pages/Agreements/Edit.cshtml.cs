using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Passport.ServiceDefaults;
using Passport.Web.Api;

namespace Passport.Web.Pages.Agreements;

/// <summary>
/// An organisation administrator writes or changes a workforce sharing agreement: parties by name, period, staff groups,
/// longest deployment, home approval, and per role the credential types it needs. A requirement already in the agreement
/// keeps its conditions; one added here asks for the credential from a party, valid when presented.
/// </summary>
public sealed partial class EditAgreementModel(VerifierApi verifier, Directory directory) : FormPage
{
    public const int RoleSlots = 3;

    private Agreement? _existing;

    [FromRoute] public Guid? Id { get; set; }

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public List<string> Parties { get; set; } = [];
    [BindProperty] public string? StartsOnDay { get; set; }
    [BindProperty] public string? StartsOnMonth { get; set; }
    [BindProperty] public string? StartsOnYear { get; set; }
    [BindProperty] public string? EndsOnDay { get; set; }
    [BindProperty] public string? EndsOnMonth { get; set; }
    [BindProperty] public string? EndsOnYear { get; set; }
    [BindProperty] public string? StaffGroups { get; set; }
    [BindProperty] public string? MaxDeploymentDays { get; set; }
    [BindProperty] public string? HomeApproval { get; set; }
    [BindProperty] public List<string?> Roles { get; set; } = [];
    [BindProperty] public List<string?> RoleTypes { get; set; } = [];

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public IReadOnlyList<CatalogueType> Catalogue { get; private set; } = [];

    public int Slots => Math.Max(RoleSlots, Roles.Count);

    public string? RoleAt(int i) => i < Roles.Count ? Roles[i] : null;

    /// <summary>The ticked credential types of role slot <paramref name="i"/>, posted as "slot|vct".</summary>
    public bool Ticked(int i, string vct) => RoleTypes.Contains($"{i}|{vct}");

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Id is null)
        {
            Parties = [User.FindFirst(PassportClaims.Organisation)?.Value ?? ""];
            HomeApproval = "yes";
            return Page();
        }
        if (_existing is null)
            return NotFound();
        var d = _existing.Document;
        Title = d.Title;
        Parties = [.. d.Parties ?? []];
        (StartsOnDay, StartsOnMonth, StartsOnYear) = Parts(d.StartsOn);
        (EndsOnDay, EndsOnMonth, EndsOnYear) = Parts(d.EndsOn);
        StaffGroups = string.Join('\n', d.StaffGroups ?? []);
        MaxDeploymentDays = d.MaxDeploymentDays?.ToString(CultureInfo.InvariantCulture);
        HomeApproval = d.HomeApprovalRequired == false ? "no" : "yes";
        var roles = d.Roles ?? [];
        Roles = [.. roles.Select(r => Words.Sentence(r.Role))];
        RoleTypes = [.. roles.SelectMany((r, i) => (r.Requirements ?? []).Select(q => $"{i}|{q.Vct}"))];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Id is not null && _existing is null)
            return NotFound();
        if (string.IsNullOrWhiteSpace(Title))
            AddError("title", "Enter a title for the agreement");
        if (Parties.Count < 2)
            AddError("parties", "Select the organisations that are party to the agreement, at least 2");
        var startsOn = ReadDate("startsOn", "the first day of the agreement", StartsOnDay, StartsOnMonth, StartsOnYear);
        var endsOn = ReadDate("endsOn", "the last day of the agreement", EndsOnDay, EndsOnMonth, EndsOnYear);
        if (startsOn is { } s && endsOn is { } e && e < s)
            AddError("endsOn-day", "The last day of the agreement must be on or after its first day");
        int? maxDays = null;
        if (string.IsNullOrWhiteSpace(MaxDeploymentDays))
            AddError("maxDeploymentDays", "Enter the longest deployment in days");
        else
        {
            if (int.TryParse(MaxDeploymentDays.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 3660)
                maxDays = days;
            else
                AddError("maxDeploymentDays", "Longest deployment must be a whole number of days from 1 to 3660");
        }
        if (HomeApproval is not ("yes" or "no"))
            AddError("homeApproval", "Select whether the home organisation must approve each deployment");
        var roles = new List<AgreementRole>();
        for (var i = 0; i < Slots; i++)
        {
            var name = RoleAt(i)?.Trim();
            var types = Catalogue.Where(t => Ticked(i, t.Vct)).ToList();
            if (string.IsNullOrEmpty(name))
            {
                if (types.Count > 0)
                    AddError($"role-{i}", "Enter the name of the role, or untick its credentials");
                continue;
            }
            if (!RoleName().IsMatch(name))
            {
                AddError($"role-{i}", "A role name is 1 to 64 letters, digits, spaces, hyphens or underscores");
                continue;
            }
            if (types.Count == 0)
            {
                AddError($"role-{i}", $"Select at least one credential the role of {name} needs");
                continue;
            }
            var key = name.ToLowerInvariant().Replace(' ', '_');
            var existingRole = _existing?.Document.Roles?.FirstOrDefault(r => string.Equals(r.Role, key, StringComparison.OrdinalIgnoreCase));
            var kept = existingRole?.Requirements ?? [];
            roles.Add(new AgreementRole(key, [.. types.Select(t => kept.FirstOrDefault(k => k.Vct == t.Vct) ?? new AgreementRequirement(t.Type.Replace('.', '_'), t.Vct, t.Name, []))],
                existingRole?.AcceptsHostedWallet));
        }
        if (roles.Count == 0 && !Errors.Any(x => x.Field.StartsWith("role-", StringComparison.Ordinal)))
            AddError("role-0", "Enter at least one role and the credentials it needs");
        if (HasErrors)
            return Page();

        var document = new AgreementDocument(Title!.Trim(), Parties, startsOn, endsOn,
            [.. (StaffGroups ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], maxDays, HomeApproval == "yes", roles);
        var result = Id is { } id ? await verifier.UpdateAgreementAsync(id, document, cancellationToken) : await verifier.CreateAgreementAsync(document, cancellationToken);
        if (result.Problem is { } problem)
        {
            foreach (var (name, messages) in problem.Errors)
                AddError(FieldFor(name), Reword(name, messages.FirstOrDefault()));
            if (!HasErrors)
                AddError("title", problem.Status < 500 && problem.Detail is { Length: > 0 } detail ? Plain(detail) : "The agreement could not be saved. Try again in a moment");
            return Page();
        }
        TempData["Banner"] = Id is null ? "The agreement was created" : "Your changes to the agreement were saved";
        return Redirect($"/agreements/{result.Value!.Id}");
    }

    private static string FieldFor(string apiName)
    {
        var root = apiName.Split('.', '[')[0];
        return root switch
        {
            "parties" => "parties",
            "startsOn" => "startsOn-day",
            "endsOn" => "endsOn-day",
            "staffGroups" => "staffGroups",
            "maxDeploymentDays" => "maxDeploymentDays",
            "homeApprovalRequired" => "homeApproval",
            "roles" when RoleIndex().Match(apiName) is { Success: true } m => $"role-{m.Groups[1].Value}",
            "roles" => "role-0",
            _ => "title",
        };
    }

    /// <summary>The API's sentences name JSON fields and formats; the page says the same in the form's words.</summary>
    private static string Reword(string apiName, string? message) => apiName.Split('.', '[')[0] switch
    {
        "parties" when message?.Contains("must be one of the parties", StringComparison.Ordinal) == true => "Select your own organisation as one of the parties",
        "parties" => "Select between 2 and 50 organisations, each once, including your own",
        "startsOn" => "Enter the first day of the agreement",
        "endsOn" when message?.Contains("before it starts", StringComparison.Ordinal) == true => "The last day of the agreement must be on or after its first day",
        "endsOn" => "Enter the last day of the agreement",
        "staffGroups" => "Each staff group must be 1 to 100 characters",
        "maxDeploymentDays" => "Longest deployment must be a whole number of days from 1 to 3660",
        "homeApprovalRequired" => "Select whether the home organisation must approve each deployment",
        "title" => "Enter a title of at most 200 characters",
        "roles" when message?.Contains("listed twice", StringComparison.Ordinal) == true => "Each role can be listed once",
        "roles" => "Check this role: it needs a name and the credentials it needs from the list",
        _ => "Check the agreement and try again",
    };

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Organisations = await directory.OrganisationsAsync(cancellationToken);
        Catalogue = await directory.CatalogueAsync(cancellationToken);
        if (Id is { } id)
            _existing = (await verifier.AgreementAsync(id, cancellationToken)).Value;
    }

    [GeneratedRegex("^[A-Za-z0-9 _-]{1,64}$")]
    private static partial Regex RoleName();

    [GeneratedRegex(@"^roles\[(\d+)\]")]
    private static partial Regex RoleIndex();
}
