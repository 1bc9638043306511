using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;
using Passport.Web.Pages.Staff;

namespace Passport.Web.Pages.Check;

public sealed record RequirementView(string Title, RequirementOutcome Outcome, string? CredentialWords);

/// <summary>What the decision partial shows: waiting, declined, expired, or the decision in words.</summary>
public sealed record DecisionView(string State, Decision? Decision, string PersonName, string IssuerName, IReadOnlyList<RequirementView> Requirements);

/// <summary>
/// The request's QR code and same-device link, and the decision appearing by itself: the page and its fragment
/// (<c>/check/{id}/decision</c>, which the script fetches) share this model.
/// </summary>
public sealed class CheckRequestModel(VerifierApi verifier, Directory directory) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    public PresentationRequest? Presentation { get; private set; }

    public string? QrDataUri { get; private set; }

    public DecisionView View { get; private set; } = new("open", null, "", "", []);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Presentation = (await verifier.RequestAsync(Id, cancellationToken)).Value;
        if (Presentation is null)
            return NotFound();
        if (Presentation.State == "open" && !Request.Path.Value!.EndsWith("/decision", StringComparison.Ordinal))
        {
            var png = (await verifier.RequestQrPngAsync(Id, cancellationToken)).Value;
            QrDataUri = png is null ? Qr.DataUri(Presentation.DeepLink) : Qr.DataUri(png);
        }
        View = await ViewAsync(Presentation, cancellationToken);
        return Page();
    }

    private async Task<DecisionView> ViewAsync(PresentationRequest request, CancellationToken cancellationToken)
    {
        if (request.DecisionId is not { } decisionId)
            return new DecisionView(request.State, null, "", "", []);
        var decision = (await verifier.DecisionAsync(decisionId, cancellationToken)).Value;
        if (decision is null)
            return new DecisionView(request.State, null, "", "", []);
        var agreement = (await verifier.AgreementAsync(decision.AgreementId, cancellationToken)).Value;
        var role = agreement?.Document.Roles?.FirstOrDefault(r => r.Role == decision.Role);
        var issuer = await directory.OrganisationByIssuerAsync(decision.SubjectIssuer ?? decision.Requirements.FirstOrDefault(r => r.Credential is not null)?.Credential?.Issuer, cancellationToken);
        var requirements = new List<RequirementView>();
        foreach (var outcome in decision.Requirements)
        {
            var title = role?.Requirements?.FirstOrDefault(r => r.Id == outcome.Id)?.Description ?? Words.Sentence(outcome.Id);
            string? words = null;
            if (outcome.Credential is { } c)
            {
                var from = await directory.OrganisationByIssuerAsync(c.Issuer, cancellationToken);
                words = $"Shown: {await directory.TypeNameByVctAsync(c.Vct, cancellationToken)} from {from?.Name ?? "an organisation not registered here"}"
                    + (c.ExpiresAt is { } e ? $", valid until {Words.Date(e.AddSeconds(-1))}" : "");
            }
            requirements.Add(new RequirementView(title, outcome, words));
        }
        return new DecisionView(request.State, decision, PersonName(decision), issuer?.Name ?? "an organisation not registered here", requirements);
    }

    /// <summary>The person's names as their wallet shared them; an older wallet may not share them.</summary>
    private static string PersonName(Decision decision) => Words.PersonName(decision.GivenName, decision.FamilyName);
}
