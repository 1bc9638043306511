using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;

namespace Passport.Web.Pages.MyPassport;

/// <summary>
/// A member of staff without a wallet app presents the passport their organisation keeps for them: they paste the request link the
/// receiving organisation gave them, see exactly what it will see, and confirm.
/// </summary>
public sealed class PresentModel(IssuerApi issuer, Directory directory) : FormPage
{
    private static readonly Dictionary<string, string> ApiFields = new(StringComparer.OrdinalIgnoreCase) { ["requestLink"] = "link" };

    public string? Link { get; private set; }

    public HostedPlan? Plan { get; private set; }

    public bool NoHostedWallet { get; private set; }

    public IReadOnlyList<CatalogueType> Catalogue { get; private set; } = [];

    /// <summary>Licences to attend offered to the passport kept for the person, waiting to be collected into it.</summary>
    public IReadOnlyList<Placement> WaitingPlacements { get; private set; } = [];

    public static string CollectField(Guid deploymentId) => $"collect-{deploymentId:N}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadWalletAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCollectAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        await LoadWalletAsync(cancellationToken);
        if (NoHostedWallet)
            return Page();
        var placements = (await issuer.MyPlacementsAsync(cancellationToken)).Value ?? [];
        var host = placements.FirstOrDefault(p => p.DeploymentId == deploymentId)?.HostName ?? "the organisation you are deployed to";
        var collected = await issuer.CollectMyPlacementAsync(deploymentId, cancellationToken);
        if (collected.Problem is { } problem)
        {
            AddError(WaitingPlacements.Any(p => p.DeploymentId == deploymentId) ? CollectField(deploymentId) : "placements",
                HostedWalletWords.CollectRefused(problem, host, yours: true));
            return Page();
        }
        TempData["Banner"] = $"Your licence to attend {host} is in the passport your organisation keeps for you";
        return Redirect("/my-passport/present");
    }

    private async Task LoadWalletAsync(CancellationToken cancellationToken)
    {
        var wallet = await issuer.MyHostedWalletAsync(cancellationToken);
        NoHostedWallet = wallet.Problem is not null;
        if (wallet.Value is { } kept)
            WaitingPlacements = [.. ((await issuer.MyPlacementsAsync(cancellationToken)).Value ?? []).Where(p => p.WaitsFor(kept))];
    }

    public async Task<IActionResult> OnPostCheckAsync(string? link, CancellationToken cancellationToken)
    {
        Link = link?.Trim();
        if (string.IsNullOrEmpty(Link))
        {
            AddError("link", "Enter the request link the organisation gave you");
            return Page();
        }
        var plan = await issuer.PlanMyPresentationAsync(Link, cancellationToken);
        if (plan.Problem is { } problem)
        {
            AddRefusal(problem);
            return Page();
        }
        Plan = plan.Value;
        Catalogue = await directory.CatalogueAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostShareAsync(string? link, CancellationToken cancellationToken)
    {
        Link = link?.Trim();
        var result = await issuer.PresentMyPassportAsync(Link, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddRefusal(problem);
            return Page();
        }
        TempData["Banner"] = $"You shared your passport with {result.Value!.VerifierName ?? "the organisation that asked"}";
        return Redirect("/my-passport");
    }

    /// <summary>The claim's label in the credential's type, or its name when the catalogue has none.</summary>
    public string LabelOf(SharedClaim claim)
    {
        var top = claim.Claim.Split('.')[0];
        var field = Catalogue.FirstOrDefault(t => t.Name == claim.Credential)?.Claims.FirstOrDefault(f => f.Name == top);
        return field?.Label ?? top.Replace('_', ' ');
    }

    private void AddRefusal(ApiProblem problem)
    {
        switch (problem.Code)
        {
            case "hosted_wallet_not_found":
                NoHostedWallet = true;
                break;
            case "invalid_request_link":
                AddError("link", "Enter the whole request link, starting openid4vp://, as the organisation gave it to you");
                break;
            case "request_unavailable" or "request_expired":
                AddError("link", "This request has expired or has been answered. Ask the organisation for a new link");
                break;
            default:
                AddProblem(problem, "link", ApiFields);
                break;
        }
    }
}
