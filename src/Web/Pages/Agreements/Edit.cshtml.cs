using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Passport.ServiceDefaults;
using Passport.Web.Api;

namespace Passport.Web.Pages.Agreements;

/// <summary>
/// An organisation administrator writes or changes a workforce sharing agreement: parties by name, period, staff groups,
/// longest deployment, home approval, and any number of roles, each with the credential types it needs and what each must
/// show (<see cref="RoleForm"/>). "Add another role" posts the form back with one more slot, so it works without JavaScript.
/// </summary>
public sealed partial class EditAgreementModel(VerifierApi verifier, Directory directory) : FormPage
{
    public const int MaxRoles = 50;

    private readonly List<int> _slotOf = [];

    private Agreement? _existing;

    [FromRoute] public Guid? Id { get; set; }

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public List<string> Parties { get; set; } = [];
    [BindProperty] public DateInput StartsOn { get; set; } = new();
    [BindProperty] public DateInput EndsOn { get; set; } = new();
    [BindProperty] public string? StaffGroups { get; set; }
    [BindProperty] public string? MaxDeploymentDays { get; set; }
    [BindProperty] public string? HomeApproval { get; set; }
    [BindProperty] public string? HostMayRaise { get; set; }
    /// <summary>The role slots; read from the posted form by <see cref="RoleForm.Read"/>.</summary>
    public List<RoleForm> Roles { get; private set; } = [];

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public IReadOnlyList<CatalogueType> Catalogue { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Id is null)
        {
            Parties = [User.FindFirst(PassportClaims.Organisation)?.Value ?? ""];
            HomeApproval = "yes";
            HostMayRaise = "no";
            Roles = [new RoleForm()];
            return Page();
        }
        if (_existing is null)
            return NotFound();
        var d = _existing.Document;
        Title = d.Title;
        Parties = [.. d.Parties ?? []];
        StartsOn = DateInput.Of(d.StartsOn);
        EndsOn = DateInput.Of(d.EndsOn);
        StaffGroups = string.Join('\n', d.StaffGroups ?? []);
        MaxDeploymentDays = d.MaxDeploymentDays?.ToString(CultureInfo.InvariantCulture);
        HomeApproval = d.HomeApprovalRequired == false ? "no" : "yes";
        HostMayRaise = d.HostMayRaiseMutualAid == true ? "yes" : "no";
        Roles = [.. (d.Roles ?? []).Select(r => RoleForm.FromDocument(r, Catalogue))];
        if (Roles.Count == 0)
            Roles.Add(new RoleForm());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Id is not null && _existing is null)
            return NotFound();
        var slots = int.TryParse(Request.Form["slots"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, MaxRoles) : 1;
        Roles = [.. Enumerable.Range(0, slots).Select(i => RoleForm.Read(Request.Form, i, Catalogue))];
        foreach (var role in Roles)
        {
            if (StoredRole(role.Name) is { } stored)
                role.Keep(RoleForm.FromDocument(stored, Catalogue));
        }
        if (Request.Form.ContainsKey("add-role"))
        {
            if (Roles.Count < MaxRoles)
                Roles.Add(new RoleForm());
            return Page();
        }
        if (string.IsNullOrWhiteSpace(Title))
            AddError("title", "Enter a title for the agreement");
        if (Parties.Count < 2)
            AddError("parties", "Select the organisations that are party to the agreement, at least 2");
        var startsOn = StartsOn.Read(this, "startsOn", "the first day of the agreement");
        var endsOn = EndsOn.Read(this, "endsOn", "the last day of the agreement");
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
        if (HostMayRaise is not ("yes" or "no"))
            AddError("hostMayRaise", "Select whether your organisation may ask the home organisation for staff in mutual aid");
        var roles = new List<AgreementRole>();
        for (var i = 0; i < Roles.Count; i++)
        {
            var role = Roles[i];
            var name = role.Name.Trim();
            if (string.IsNullOrEmpty(name))
            {
                if (role.Types.Count > 0)
                    AddError($"role-{i}-name", $"Enter the name of role {i + 1}, or untick its credentials");
                continue;
            }
            if (!RoleName().IsMatch(name))
            {
                AddError($"role-{i}-name", "A role name is 1 to 64 letters, digits, spaces, hyphens or underscores");
                continue;
            }
            if (role.Types.Count == 0 && role.KeptRequirements.Count == 0)
            {
                AddError($"role-{i}-type", $"Select at least one credential the role of {name} needs");
                continue;
            }
            var key = name.ToLowerInvariant().Replace(' ', '_');
            if (roles.Any(r => r.Role == key))
            {
                AddError($"role-{i}-name", $"The role of {name} is already listed; give each role once");
                continue;
            }
            var requirements = role.ToRequirements(i, name, Catalogue, StoredRole(key), this);
            roles.Add(new AgreementRole(key, requirements, StoredRole(key)?.AcceptsHostedWallet));
            _slotOf.Add(i);
        }
        if (roles.Count == 0 && !Errors.Any(x => x.Field.StartsWith("role-", StringComparison.Ordinal)))
            AddError("role-0-name", "Enter at least one role and the credentials it needs");
        if (HasErrors)
            return Page();

        var document = new AgreementDocument(Title!.Trim(), Parties, startsOn, endsOn,
            [.. (StaffGroups ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], maxDays, HomeApproval == "yes", roles,
            HostMayRaise == "yes");
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

    private string FieldFor(string apiName)
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
            "roles" when RoleIndex().Match(apiName) is { Success: true } m && int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var at && at < _slotOf.Count
                => $"role-{_slotOf[at]}-name",
            "roles" => "role-0-name",
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

    private AgreementRole? StoredRole(string name) =>
        _existing?.Document.Roles?.FirstOrDefault(r => string.Equals(r.Role, name.Trim().Replace(' ', '_'), StringComparison.OrdinalIgnoreCase));

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
