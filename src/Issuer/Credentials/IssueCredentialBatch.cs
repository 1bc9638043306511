using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

/// <summary>
/// HR issues many credentials at once. Good items are issued; each bad one is reported by its index and fields and
/// changes nothing. Items whose source reference was issued before come back as existing.
/// </summary>
internal static class IssueCredentialBatch
{
    public const int MaxItems = 1000;

    public sealed record BatchItemRequest(Guid? StaffId, string? Type, string? SourceReference, JsonObject? Claims, JsonObject? Provenance, string? Reason);

    public sealed record BatchRequest(
        [Required(ErrorMessage = "Give at least one item.")][MinLength(1, ErrorMessage = "Give at least one item.")]
        [MaxLength(MaxItems, ErrorMessage = "Give at most 1000 items per request; use CSV import for more.")]
        IReadOnlyList<BatchItemRequest?>? Items);

    public sealed record BatchItemResult(int Index, string Outcome, Guid? CredentialId, string? Code, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);

    public sealed record BatchResponse(int Issued, int Existing, int Failed, IReadOnlyList<BatchItemResult> Results);

    public static async Task<Results<Ok<BatchResponse>, ValidationProblem>> Handle(
        BatchRequest request, ClaimsPrincipal user, CredentialIssuance issuance, CancellationToken cancellationToken)
    {
        var requested = request.Items!;
        var results = new BatchItemResult?[requested.Count];
        var items = new List<IssueItem>();
        var positions = new List<int>();
        for (var i = 0; i < requested.Count; i++)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var r = requested[i];
            if (r is null)
                errors["item"] = ["Each item is an object."];
            else
            {
                if (r.StaffId is null)
                    errors["staffId"] = ["Required."];
                if (string.IsNullOrEmpty(r.Type))
                    errors["type"] = ["Required."];
                if (r.Reason is { Length: > 1000 })
                    errors["reason"] = ["Keep the reason under 1,000 characters."];
            }
            if (errors.Count > 0)
            {
                results[i] = new(i, "invalid", null, "validation_failed", "Some of the item's fields are missing or invalid.", errors);
                continue;
            }
            items.Add(new IssueItem
            {
                StaffId = r!.StaffId!.Value, Type = r.Type!, SourceReference = r.SourceReference, Claims = r.Claims, Provenance = r.Provenance, Reason = r.Reason,
            });
            positions.Add(i);
        }
        var outcomes = items.Count == 0 ? [] : await issuance.IssueAsync(user.OdsCode(), items, user.Actor(), cancellationToken);
        for (var n = 0; n < outcomes.Count; n++)
        {
            var o = outcomes[n];
            var index = positions[n];
            results[index] = new(index, o.Name, o.Credential?.Id, o.Code, o.Detail, o.Errors);
        }
        var (issued, existing) = (outcomes.Count(o => o.Kind == IssueOutcomeKind.Issued), outcomes.Count(o => o.Kind == IssueOutcomeKind.Existing));
        return TypedResults.Ok(new BatchResponse(issued, existing, results.Length - issued - existing, results!));
    }
}
