using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

public sealed record Fact(string Label, string Value);

public sealed record CredentialView(CredentialSummary Summary, string Name, IReadOnlyList<Fact> Facts);

public sealed class StaffPassportModel(IssuerApi issuer, Directory directory, TimeProvider time) : FormPage
{
    [FromRoute]
    public Guid Id { get; set; }

    public TimeProvider Time => time;

    public StaffRecord? Staff { get; private set; }

    public IReadOnlyList<CredentialView> Credentials { get; private set; } = [];

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public IReadOnlyList<HomeDeployment> Deployments { get; private set; } = [];

    public IReadOnlyDictionary<string, string> OrganisationNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>Licences to attend a host offered to the passport HR keeps for them, waiting to be collected there.</summary>
    public IReadOnlyList<Placement> WaitingPlacements { get; private set; } = [];

    public static string CollectField(Guid deploymentId) => $"collect-{deploymentId:N}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCollectAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var placements = (await issuer.StaffPlacementsAsync(Id, cancellationToken)).Value ?? [];
        var host = placements.FirstOrDefault(p => p.DeploymentId == deploymentId)?.HostName ?? "the organisation they are deployed to";
        var collected = await issuer.CollectPlacementForStaffAsync(Id, deploymentId, cancellationToken);
        if (collected.Problem is { } problem)
        {
            var field = CollectField(deploymentId);
            if (WaitingPlacements.All(p => p.DeploymentId != deploymentId))
                field = "placements";
            AddError(field, HostedWalletWords.CollectRefused(problem, host, yours: false));
            return Page();
        }
        TempData["Banner"] = $"The licence to attend {host} is in the passport you keep for them";
        return Redirect($"/staff/{Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var staff = await issuer.StaffAsync(Id, cancellationToken);
        if (staff.Value is null)
            return false;
        Staff = staff.Value;
        var catalogue = await directory.CatalogueAsync(cancellationToken);
        var summaries = (await issuer.CredentialsAsync(Id, cancellationToken)).Value ?? [];
        var details = await Task.WhenAll(summaries.Select(s => issuer.CredentialAsync(s.Id, cancellationToken)));
        Credentials = [.. summaries.Select((s, i) => View(s, details[i].Value, catalogue))];
        History = (await issuer.HistoryAsync(Id, cancellationToken)).Value ?? [];
        Deployments = (await issuer.StaffDeploymentsAsync(Id, cancellationToken)).Value ?? [];
        OrganisationNames = (await directory.OrganisationsAsync(cancellationToken)).ToDictionary(o => o.OdsCode, o => o.Name, StringComparer.OrdinalIgnoreCase);
        var wallet = (await issuer.HostedWalletAsync(Id, cancellationToken)).Value;
        if (wallet is not null)
            WaitingPlacements = [.. ((await issuer.StaffPlacementsAsync(Id, cancellationToken)).Value ?? []).Where(p => p.WaitsFor(wallet))];
        return true;
    }

    public string NameOf(Guid credentialId) => Credentials.FirstOrDefault(c => c.Summary.Id == credentialId)?.Name ?? "";

    /// <summary>A credential's type in words and its key facts: the first few facts HR entered, in the catalogue's order.</summary>
    public static CredentialView View(CredentialSummary summary, CredentialDetail? detail, IReadOnlyList<CatalogueType> catalogue)
    {
        var type = catalogue.FirstOrDefault(t => t.Type == summary.Type);
        return new CredentialView(summary, type?.Name ?? Words.Sentence(summary.Type), Facts(type, detail, 3));
    }

    public static IReadOnlyList<Fact> Facts(CatalogueType? type, CredentialDetail? detail, int max)
    {
        if (type is null || detail?.Claims is not { } claims)
            return [];
        return [.. type.Claims.Where(f => f.Input && claims[f.Name] is not null && f.Kind != "list of objects")
            .Take(max).Select(f => new Fact(f.Label, Words.Value(claims[f.Name])))];
    }
}
