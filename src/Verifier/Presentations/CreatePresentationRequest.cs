using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Passport.Credentials.Jose;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Profile;

namespace Passport.Verifier.Presentations;

/// <summary>
/// A verifier asks for the credentials an agreement requires of a role for a deployment: an OpenID4VP 1.0 request with
/// a DCQL query built from the rules, a fresh 256-bit nonce, direct_post to our response_uri, passed by reference.
/// </summary>
internal static class CreatePresentationRequest
{
    public sealed record PresentationRequestBody(Guid? AgreementId, string? Role, DateOnly? Start, DateOnly? End, Uri? WebhookUrl);

    public static async Task<Results<Created<PresentationRequestResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        PresentationRequestBody request, ClaimsPrincipal user, VerifierDbContext db, RequestObjectSigner signer, IOptions<VerifierOptions> options,
        IHostEnvironment environment, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (request.AgreementId is not { } agreementId)
            return Problems.Validation(new Dictionary<string, string[]> { ["agreementId"] = ["Name the agreement to ask under."] });
        var agreement = await AgreementLookup.LoadAsync(db, ods, agreementId, null, cancellationToken);
        if (agreement is null)
            return AgreementProblems.NotFound(agreementId);
        var errors = AgreementTerms.Check(agreement.Rules, request.Role, request.Start, request.End);
        if (request.WebhookUrl is { } webhook && WebhookProblem(webhook, environment) is { } problem)
            errors["webhookUrl"] = [problem];
        if (errors.Count > 0)
            return Problems.Validation(errors);

        var presentationRequest = await NewAsync(db, signer, options.Value, agreement, agreement.Rules.FindRole(request.Role!)!, request.Start!.Value,
            request.End!.Value, request.WebhookUrl, user.Actor(), time.GetUtcNow(), options.Value.RequestLifetime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var (id, now, o) = (presentationRequest.Id, presentationRequest.CreatedAt, options.Value);
        return TypedResults.Created($"/api/presentation-requests/{id}", presentationRequest.ToResponse(o, now));
    }

    /// <summary>A signed request for what <paramref name="role"/> requires, added to <paramref name="db"/>; the caller saves it.</summary>
    public static async Task<PresentationRequest> NewAsync(
        VerifierDbContext db, RequestObjectSigner signer, VerifierOptions o, LoadedAgreement agreement, RoleRules role, DateOnly start, DateOnly end,
        Uri? webhookUrl, string createdBy, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var ods = agreement.OdsCode;
        var id = Guid.CreateVersion7();
        var links = new PresentationLinks(o, ods, id);
        var nonce = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now + lifetime;
        var identity = await ClientIdentity.ForAsync(db, signer, ods, now, cancellationToken);
        var clientId = identity.ClientId();
        var payload = new JsonObject
        {
            ["iss"] = clientId,
            ["aud"] = "https://self-issued.me/v2",
            ["client_id"] = clientId,
            ["response_type"] = "vp_token",
            ["response_mode"] = "direct_post",
            ["response_uri"] = links.ResponseUri,
            ["nonce"] = nonce,
            ["state"] = id.ToString(),
            ["dcql_query"] = DcqlQuery.For(role),
            ["client_metadata"] = new JsonObject
            {
                ["client_name"] = identity.Name,
                ["vp_formats_supported"] = new JsonObject
                {
                    [DcqlQuery.Format] = new JsonObject
                    {
                        ["sd-jwt_alg_values"] = new JsonArray("ES256"),
                        ["kb-jwt_alg_values"] = new JsonArray("ES256"),
                    },
                },
            },
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
        };
        var presentationRequest = new PresentationRequest
        {
            Id = id, OdsCode = ods, AgreementId = agreement.Id, AgreementVersion = agreement.Version, Role = role.Role,
            Start = start, End = end, Nonce = nonce, ClientId = clientId,
            RequestObject = await signer.SignAsync(payload, identity.ClientCertificate!, cancellationToken), WebhookUrl = webhookUrl,
            CreatedBy = createdBy, CreatedAt = now, ExpiresAt = expiresAt,
        };
        db.Set<PresentationRequest>().Add(presentationRequest);
        return presentationRequest;
    }

    private static string? WebhookProblem(Uri url, IHostEnvironment environment)
    {
        var relaxed = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (relaxed && url.Scheme == Uri.UriSchemeHttp)))
            return "The webhook must be an absolute https URL.";
        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment) || url.OriginalString.Length > 2000)
            return "The webhook URL cannot carry credentials or a fragment, and is at most 2000 characters.";
        return null;
    }
}
