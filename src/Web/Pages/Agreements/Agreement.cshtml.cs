using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;

namespace Passport.Web.Pages.Agreements;

/// <summary>An agreement read as plain English: parties by name, period, roles and every requirement in words.</summary>
public sealed class AgreementModel(VerifierApi verifier, Directory directory) : PageModel
{
    private IReadOnlyList<CatalogueType> _catalogue = [];

    [FromRoute]
    public Guid Id { get; set; }

    public Agreement? Agreement { get; private set; }

    public IReadOnlyList<string> Parties { get; private set; } = [];

    public IReadOnlyList<AgreementChange> History { get; private set; } = [];

    /// <summary>The audit names a sign-in by its subject: the person reading it is "You", anyone else is not shown by an identifier.</summary>
    public string Who(string actor) =>
        actor == (User.FindFirst("sub")?.Value ?? User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value)
            ? $"You ({User.FindFirst("name")?.Value ?? "signed in now"})"
            : "Another administrator at your organisation";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Agreement = (await verifier.AgreementAsync(Id, cancellationToken)).Value;
        if (Agreement is null)
            return NotFound();
        _catalogue = await directory.CatalogueAsync(cancellationToken);
        var names = new List<string>();
        foreach (var ods in Agreement.Document.Parties ?? [])
            names.Add(await directory.OrganisationNameAsync(ods, cancellationToken));
        Parties = names;
        History = [.. ((await verifier.AgreementHistoryAsync(Id, cancellationToken)).Value ?? []).OrderByDescending(c => c.Version)];
        return Page();
    }

    public CatalogueType? TypeFor(string? vct) => _catalogue.FirstOrDefault(t => t.Vct == vct);
}
