using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using QRCoder;

namespace Passport.Verifier.Presentations;

internal static class GetPresentationRequest
{
    public static async Task<Results<Ok<PresentationRequestResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, IOptions<VerifierOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = await Find(db, user, id, cancellationToken);
        return request is null ? NotFound(id) : TypedResults.Ok(request.ToResponse(options.Value, time.GetUtcNow()));
    }

    /// <summary>The decision on a request, once the wallet has answered.</summary>
    public static async Task<Results<Ok<DecisionResponse>, ProblemHttpResult>> Decision(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = await Find(db, user, id, cancellationToken);
        if (request is null)
            return NotFound(id);
        if (request.DecisionId is not { } decisionId)
        {
            return request.StateAt(time.GetUtcNow()) switch
            {
                PresentationRequestState.Declined => Problems.Conflict("request_declined", $"The wallet declined the request ({request.WalletError}); there is no decision."),
                PresentationRequestState.Expired => Problems.Conflict("request_expired", "The request expired without an answer; there is no decision."),
                _ => Problems.Conflict("decision_pending", "The wallet has not answered yet; ask again shortly, or wait for the webhook."),
            };
        }
        var decision = await db.Set<Decisions.Decision>().AsNoTracking().FirstAsync(d => d.Id == decisionId, cancellationToken);
        return TypedResults.Ok(decision.ToResponse());
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrPng(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, IOptions<VerifierOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        await QrAsync(id, user, db, options.Value, time, static data => new PngByteQRCode(data).GetGraphic(8), "image/png", cancellationToken);

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrSvg(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, IOptions<VerifierOptions> options, TimeProvider time, CancellationToken cancellationToken) =>
        await QrAsync(id, user, db, options.Value, time, static data => Encoding.UTF8.GetBytes(new SvgQRCode(data).GetGraphic(8)), "image/svg+xml", cancellationToken);

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrAsync(
        Guid id, ClaimsPrincipal user, VerifierDbContext db, VerifierOptions options, TimeProvider time, Func<QRCodeData, byte[]> render, string contentType,
        CancellationToken cancellationToken)
    {
        var request = await Find(db, user, id, cancellationToken);
        if (request is null)
            return NotFound(id);
        if (request.StateAt(time.GetUtcNow()) != PresentationRequestState.Open)
            return Problems.Conflict("request_not_open", "The request is no longer open, so its QR code would not work; create a new request.");
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(new PresentationLinks(options, request.OdsCode, request.Id).DeepLink(request.ClientId), QRCodeGenerator.ECCLevel.M);
        return TypedResults.File(render(data), contentType);
    }

    private static Task<PresentationRequest?> Find(VerifierDbContext db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        return db.Set<PresentationRequest>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.OdsCode == ods, cancellationToken);
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        Problems.NotFound("request_not_found", $"Your organisation has no presentation request {id}.");
}
