using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Passport.ServiceDefaults;
using Passport.Web.Api;

namespace Passport.Web.Pages.Staff;

/// <summary>A printable offer letter with the QR code and instructions; never the code, which HR gives separately.</summary>
public sealed class LetterModel(IssuerApi issuer, Directory directory) : PageModel
{
    [FromRoute]
    public Guid Id { get; set; }

    [FromRoute]
    public Guid OfferId { get; set; }

    public string PersonName { get; private set; } = "";

    public string OrganisationName { get; private set; } = "";

    public string? QrDataUri { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var staff = (await issuer.StaffAsync(Id, cancellationToken)).Value;
        if (staff is null)
            return NotFound();
        PersonName = $"{staff.GivenName} {staff.FamilyName}";
        OrganisationName = await directory.OrganisationNameAsync(User.FindFirst(PassportClaims.Organisation)?.Value, cancellationToken);
        var qr = await issuer.OfferQrPngAsync(OfferId, cancellationToken);
        if (qr.Value is null)
        {
            TempData["Banner"] = null;
            return Redirect($"/staff/{Id}/offer");
        }
        QrDataUri = Qr.DataUri(qr.Value);
        return Page();
    }
}
