using Microsoft.AspNetCore.Mvc;
using Passport.Web.Api;
using QRCoder;

namespace Passport.Web.Pages.Staff;

/// <summary>HR offers a person their valid credentials: a QR code on screen, the link to send, and the code to tell them separately.</summary>
public sealed class OfferModel(IssuerApi issuer, Directory directory, TimeProvider time) : FormPage
{
    [FromRoute]
    public Guid Id { get; set; }

    public string PersonName { get; private set; } = "";

    public IReadOnlyList<string> ActiveNames { get; private set; } = [];

    public Offer? Offer { get; private set; }

    public string? QrDataUri { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
            return NotFound();
        var result = await issuer.OfferAsync(Id, cancellationToken);
        if (result.Problem is { } problem)
        {
            AddError("offer", problem.Code == "no_active_credentials" ? "They have no valid credentials to offer. Issue one first" : "The offer could not be made. Try again in a moment");
            return Page();
        }
        Offer = result.Value;
        QrDataUri = Qr.DataUri(Offer!.OfferUri);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var staff = (await issuer.StaffAsync(Id, cancellationToken)).Value;
        if (staff is null)
            return false;
        PersonName = $"{staff.GivenName} {staff.FamilyName}";
        var credentials = (await issuer.CredentialsAsync(Id, cancellationToken)).Value ?? [];
        var names = new List<string>();
        foreach (var c in credentials.Where(c => c.Status == "active" && c.ExpiresAt > time.GetUtcNow()))
            names.Add(await directory.TypeNameAsync(c.Type, cancellationToken));
        ActiveNames = names;
        return true;
    }
}

/// <summary>QR codes as PNG data URIs: an image the page carries itself, no script and no second request with the person's token.</summary>
public static class Qr
{
    public static string DataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(8));
    }

    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
