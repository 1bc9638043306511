using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;
using QRCoder;

namespace Passport.Issuer.Offers;

/// <summary>The offer URI as a QR code, for HR to show or print while the offer is open.</summary>
internal static class GetOfferQr
{
    private const int PixelsPerModule = 8;

    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> Png(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        RenderAsync(id, user, db, options, time, static data => new PngByteQRCode(data).GetGraphic(PixelsPerModule), "image/png", cancellationToken);

    public static Task<Results<FileContentHttpResult, ProblemHttpResult>> Svg(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        RenderAsync(id, user, db, options, time, static data => Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(PixelsPerModule)), "image/svg+xml", cancellationToken);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RenderAsync(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time,
        Func<QRCodeData, byte[]> render, string contentType, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var offer = await db.Offers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.OdsCode == ods, cancellationToken);
        if (offer is null)
            return Problems.NotFound("offer_not_found", $"Your organisation has no credential offer {id}.");
        var state = offer.StateAt(time.GetUtcNow());
        if (state != OfferState.Open)
            return Problems.Conflict($"offer_{state.ToString().ToLowerInvariant()}", $"The offer is {state.ToString().ToLowerInvariant()}, so its QR code would not work; create a new offer.");

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(new OfferLinks(options.Value, ods, id).OfferUri, QRCodeGenerator.ECCLevel.M);
        return TypedResults.File(render(data), contentType);
    }
}
