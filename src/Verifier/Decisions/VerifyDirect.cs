using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;

namespace Passport.Verifier.Decisions;

/// <summary>
/// Direct verification for integrations that are not wallets: presentations the caller collected, bound to a nonce it
/// issued and to this organisation's client identifier, decided against one of its agreements.
/// </summary>
internal static class VerifyDirect
{
    /// <summary>
    /// Its own name: the OpenAPI document names a schema after its type, and a second nested <c>Request</c> took this one's place.
    /// </summary>
    public sealed record DirectVerificationRequest
    {
        [Description("The presentations the holder made: each an SD-JWT VC with its disclosures and a KB-JWT, 1 to 50.")]
        public IReadOnlyList<string>? Presentations { get; init; }

        [Description("The nonce you gave the holder for these presentations (the KB-JWT 'nonce'): 16 to 512 characters, used once.")]
        public string? Nonce { get; init; }

        [Description("The KB-JWT 'aud' the holder bound the presentations to. It must be your organisation's client identifier for direct "
            + "verification: {Verifier:PublicBaseUrl}verifiers/{ODS}, e.g. https://verifier.example.nhs.uk/verifiers/RXH, where ODS is the "
            + "organisation in your access token. Anything else is refused with audience_not_ours.")]
        public string? Audience { get; init; }

        [Description("The agreement to decide under; one of your organisation's.")]
        public Guid? AgreementId { get; init; }

        [Description("The role in the agreement whose requirements apply.")]
        public string? Role { get; init; }

        [Description("The deployment's first day (yyyy-mm-dd).")]
        public DateOnly? Start { get; init; }

        [Description("The deployment's last day (yyyy-mm-dd).")]
        public DateOnly? End { get; init; }
    }

    public static async Task<Results<Created<DecisionResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        HttpRequest http, ClaimsPrincipal user, VerifierDbContext db, DecisionMaker decisions, DecisionWriter writer, IOptions<VerifierOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await BoundedBody.ReadAsync(http, cancellationToken);
        if (tooLarge is not null)
            return tooLarge;
        if (!http.HasJsonContentType())
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the body as application/json.");
        DirectVerificationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<DirectVerificationRequest>(body, DecisionJson.Options);
        }
        catch (JsonException)
        {
            return Problems.BadRequest("malformed_request", "The body is not JSON of the documented shape: {presentations, nonce, audience, agreementId, role, start, end}.");
        }

        var ods = user.OdsCode();
        var clientId = options.Value.ClientIdFor(ods);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var presentations = request?.Presentations ?? [];
        if (presentations.Count is < 1 or > PresentationCheck.MaxPresentations || presentations.Any(string.IsNullOrEmpty))
            errors["presentations"] = [$"Send between 1 and {PresentationCheck.MaxPresentations} presentations, each an SD-JWT VC with its KB-JWT."];
        if (request?.Nonce is not { Length: >= 16 and <= 512 })
            errors["nonce"] = ["Give the nonce you issued to the holder: 16 to 512 characters, fresh for each presentation."];
        if (request?.Audience is null)
            errors["audience"] = [$"Give the audience the holder bound the presentation to: your organisation's client identifier, {clientId}."];
        if (request?.AgreementId is null)
            errors["agreementId"] = ["Name the agreement to decide under."];
        if (errors.Count > 0)
            return Problems.Validation(errors);
        if (!string.Equals(request!.Audience, clientId, StringComparison.Ordinal))
            return Problems.BadRequest("audience_not_ours", $"The audience must be your organisation's client identifier here, {clientId}; presentations made for anyone else are not accepted.");

        // One round trip for which version is current, whether the nonce was used and the claimed entries' status notices; the
        // version's rules come from memory.
        var current = await DirectReads.ReadAsync(db, ods, request.AgreementId!.Value, request.Nonce!, presentations, cancellationToken);
        var agreement = current is null ? null : await AgreementLookup.LoadAsync(db, ods, request.AgreementId.Value, current.Version, cancellationToken);
        if (agreement is null)
            return AgreementProblems.NotFound(request.AgreementId.Value);
        var terms = AgreementTerms.Check(agreement.Rules, request.Role, request.Start, request.End);
        if (terms.Count > 0)
            return Problems.Validation(terms, "The deployment is outside the agreement's terms; see errors.");
        if (current!.NonceUsed)
            return NonceUsed();

        var (decided, refused) = await decisions.DecideUnsavedAsync(new DecisionAsked
        {
            Agreement = agreement, Role = agreement.Rules.FindRole(request.Role!)!, Start = request.Start!.Value, End = request.End!.Value,
            Presentations = [.. presentations.Select(p => new ReceivedPresentation(null, p))], Audience = clientId, Nonce = request.Nonce!,
            Source = Decision.FromDirectVerification, DecidedBy = user.Actor(), StatusNotices = current.Notices,
        }, cancellationToken);
        if (refused is not null)
            return refused;
        if (await writer.StoreAsync(db, decided!, NonceUsed, cancellationToken) is { } conflict)
            return conflict;
        return TypedResults.Created($"/api/decisions/{decided!.Decision.Id}", decided.Decision.ToResponse());
    }

    private static ProblemHttpResult NonceUsed() =>
        Problems.Conflict("nonce_already_used", "A decision was already made for presentations bound to this nonce; issue a fresh nonce for each presentation.");
}
