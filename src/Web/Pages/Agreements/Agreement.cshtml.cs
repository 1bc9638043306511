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
        return Page();
    }

    public CatalogueType? TypeFor(string? vct) => _catalogue.FirstOrDefault(t => t.Vct == vct);
}
