using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.Web.Api;

namespace Passport.Web.Pages.Agreements;

public sealed class AgreementsModel(VerifierApi verifier) : PageModel
{
    public IReadOnlyList<AgreementSummary> Agreements { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Agreements = (await verifier.AgreementsAsync(cancellationToken)).Value ?? [];
}
