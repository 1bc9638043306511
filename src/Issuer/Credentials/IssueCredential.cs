using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

/// <summary>HR issues one credential to one of their staff. The same source reference again returns the credential already issued.</summary>
internal static class IssueCredential
{
    public sealed record IssueCredentialRequest(
        [Required(ErrorMessage = "Name the credential type; GET /api/catalogue lists them.")] string? Type, string? SourceReference, JsonObject? Claims,
        JsonObject? Provenance, [MaxLength(1000, ErrorMessage = ReasonError)] string? Reason);

    public const string ReasonError = "Keep the reason under 1,000 characters.";

    public static async Task<Results<Created<CredentialResponse>, Ok<CredentialResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, IssueCredentialRequest request, ClaimsPrincipal user, CredentialIssuance issuance, IOptions<IssuerOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var item = new IssueItem
        {
            StaffId = id, Type = request.Type!, SourceReference = request.SourceReference, Claims = request.Claims, Provenance = request.Provenance,
            Reason = request.Reason,
        };
        var outcome = (await issuance.IssueAsync(user.OdsCode(), [item], user.Actor(), cancellationToken))[0];
        return ToResult(outcome, options.Value, time.GetUtcNow());
    }

    public static Results<Created<CredentialResponse>, Ok<CredentialResponse>, ValidationProblem, ProblemHttpResult> ToResult(IssueOutcome outcome, IssuerOptions options, DateTimeOffset now) =>
        outcome.Kind switch
        {
            IssueOutcomeKind.Issued => TypedResults.Created($"/api/credentials/{outcome.Credential!.Id}", outcome.Credential.ToResponse(options, now)),
            IssueOutcomeKind.Existing => TypedResults.Ok(outcome.Credential!.ToResponse(options, now)),
            IssueOutcomeKind.Invalid => Problems.Validation(new Dictionary<string, string[]>(outcome.Errors!), outcome.Detail!),
            IssueOutcomeKind.UnknownType => Problems.BadRequest(outcome.Code!, $"{outcome.Detail} {string.Join(" ", outcome.Errors?.Values.SelectMany(e => e) ?? [])}".Trim()),
            IssueOutcomeKind.NotFound => Problems.NotFound(outcome.Code!, outcome.Detail!),
            IssueOutcomeKind.Conflict => Problems.Conflict(outcome.Code!, outcome.Detail!),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome.Kind, "An outcome kind without an HTTP answer."),
        };
}
