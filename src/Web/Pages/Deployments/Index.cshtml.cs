using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;

namespace Passport.Web.Pages.Deployments;

/// <summary>The receiving organisation's deployments, flagged ones first.</summary>
public sealed class DeploymentsModel(VerifierApi verifier, Directory directory) : PageModel
{
    private IReadOnlyList<Organisation> _organisations = [];

    public IReadOnlyList<Deployment> Flagged { get; private set; } = [];

    public IReadOnlyList<Deployment> Active { get; private set; } = [];

    public IReadOnlyList<Deployment> Waiting { get; private set; } = [];

    public IReadOnlyList<Deployment> Past { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = (await verifier.DeploymentsAsync(null, cancellationToken)).Value ?? [];
        _organisations = await directory.OrganisationsAsync(cancellationToken);
        Flagged = [.. all.Where(d => d.Flagged && d.Flags.Count > 0 && d.State is "active" or "awaiting_approval")];
        Active = [.. all.Where(d => d.State == "active").OrderByDescending(d => d.Flagged).ThenBy(d => d.End)];
        Waiting = [.. all.Where(d => d.State == "awaiting_approval")];
        Past = [.. all.Where(d => d.State is "ended" or "declined").OrderByDescending(d => d.End)];
    }

    public string Who(Deployment d) => DeploymentWords.Who(d, _organisations);
}

public sealed record DeploymentTable(IReadOnlyList<Deployment> Rows, Func<Deployment, string> Who, string Caption);

public static class DeploymentWords
{
    /// <summary>The person by the names their wallet shared when they were checked, and their home organisation.</summary>
    public static string Who(Deployment d, IReadOnlyList<Organisation> organisations)
    {
        ArgumentNullException.ThrowIfNull(d);
        var home = organisations.FirstOrDefault(o => string.Equals(o.OdsCode, d.HomeOdsCode, StringComparison.OrdinalIgnoreCase))?.Name ?? "another organisation";
        return $"{Words.PersonName(d.GivenName, d.FamilyName)} ({home}), started {Words.Date(d.Start)}";
    }
}
