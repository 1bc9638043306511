using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.Jose;
using Passport.Credentials.OpenId4Vp;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.MutualAid;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Presentations;

/// <summary>
/// The wallet's direct_post answer (OpenID4VP 1.0 §8.2): form-encoded <c>vp_token</c>, a JSON object from DCQL credential
/// query id to an array of presentations (§8.1), and <c>state</c>. Verified, decided, and the request consumed in one
/// transaction; a refused presentation changes nothing.
/// </summary>
internal static class ReceiveResponse
{
    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Handle(
        string ods, HttpRequest http, VerifierDbContext db, DecisionMaker decisions, DecisionWebhook webhook, ITrustedIssuers trust, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, tooLarge) = await BoundedBody.ReadAsync(http, cancellationToken);
        if (tooLarge is not null)
            return tooLarge;
        if (!http.HasFormContentType)
            return Problems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the response as application/x-www-form-urlencoded (response_mode direct_post).");
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = new FormReader(Encoding.UTF8.GetString(body!)).ReadForm();
        }
        catch (InvalidDataException)
        {
            return Problems.BadRequest("malformed_request", "The form could not be read.");
        }
        if (form.Values.Any(v => v.Count > 1))
            return Problems.BadRequest("invalid_request", "Each response parameter appears once.");

        if (!form.TryGetValue("state", out var stateValue) || !Guid.TryParse(stateValue.ToString(), out var id))
            return Problems.BadRequest("invalid_state", "state must be the value from the request object.");
        var request = await db.Set<PresentationRequest>().FirstOrDefaultAsync(r => r.Id == id && r.OdsCode == ods, cancellationToken);
        if (request is null)
            return Problems.NotFound("request_not_found", $"There is no presentation request {id} here.");
        var now = time.GetUtcNow();
        if (WalletProblems.NotOpen(request, now) is { } notOpen)
            return notOpen;

        if (form.TryGetValue("error", out var walletError))
        {
            if (!request.TryDecline(walletError.ToString(), now))
                return WalletProblems.NotOpen(request, now)!;
            if (await DecisionMaker.SaveAsync(db, AlreadyAnswered, cancellationToken) is { } declineConflict)
                return declineConflict;
            return TypedResults.Ok(new JsonObject());
        }

        var agreement = await AgreementLookup.LoadAsync(db, ods, request.AgreementId, request.AgreementVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Presentation request {id} names agreement {request.AgreementId} version {request.AgreementVersion}, which is gone.");
        var role = agreement.Rules.FindRole(request.Role)
            ?? throw new InvalidOperationException($"Presentation request {id} names role {request.Role}, which its agreement version does not have.");
        if (!form.TryGetValue("vp_token", out var vpToken) || ReadVpToken(vpToken.ToString(), role) is not { } received)
        {
            return Problems.BadRequest("invalid_vp_token",
                "vp_token must be a JSON object from each DCQL credential query id in the request to an array with one presentation (a string).");
        }

        var (decision, refused) = await decisions.DecideAsync(db, new DecisionAsked
        {
            Agreement = agreement, Role = role, Start = request.Start, End = request.End, Presentations = received, Audience = request.ClientId,
            Nonce = request.Nonce, HostedWalletAttestation = form.TryGetValue(HostedWalletAttestation.Parameter, out var attestation) ? attestation.ToString() : null,
            RequestId = request.Id, Source = Decision.FromWallet, DecidedBy = Decision.FromWallet,
        }, cancellationToken);
        if (refused is not null)
            return refused;
        if (!request.TryAnswer(decision!.Id, now))
            return WalletProblems.NotOpen(request, now)!;
        await AidDecisions.RecordAsync(db, trust, request.Id, decision, now, cancellationToken);
        if (await DecisionMaker.SaveAsync(db, AlreadyAnswered, cancellationToken) is { } conflict)
            return conflict;
        if (request.WebhookUrl is { } url)
            webhook.Enqueue(url, decision.ToResponse());
        return TypedResults.Ok(new JsonObject());
    }

    private static List<ReceivedPresentation>? ReadVpToken(string text, Agreements.RoleRules role)
    {
        if (!StrictJson.TryParseObject(Encoding.UTF8.GetBytes(text), out var token, out _) || token.Count == 0)
            return null;
        var received = new List<ReceivedPresentation>();
        foreach (var (queryId, value) in token)
        {
            if (!(role.Requirements.Any(r => r.Id == queryId) || queryId == DcqlQuery.PersonQueryId) || value is not JsonArray { Count: 1 } presentations)
                return null;
            if (presentations[0] is not JsonValue v || !v.TryGetValue<string>(out var presentation) || presentation.Length == 0)
                return null;
            received.Add(new ReceivedPresentation(queryId, presentation));
        }
        return received;
    }

    // Two answers racing for one request: the concurrency token on AnsweredAt lets only the first commit.
    private static ProblemHttpResult AlreadyAnswered() =>
        Problems.BadRequest("request_already_answered", "This presentation request has already been answered; each request takes one answer.");
}
