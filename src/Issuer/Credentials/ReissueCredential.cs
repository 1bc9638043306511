using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

/// <summary>
/// HR re-issues a credential: a new one (corrected facts, or the same facts with names and records as they are now)
/// replaces it, and the old one is withdrawn as superseded, all in one transaction.
/// </summary>
internal static class ReissueCredential
{
    /// <summary>Leave out claims to re-issue the same facts; leave out provenance to keep the old one's.</summary>
    public sealed record ReissueRequest(JsonObject? Claims, JsonObject? Provenance, string? SourceReference, [MaxLength(1000, ErrorMessage = IssueCredential.ReasonError)] string? Reason);

    public static async Task<Results<Created<CredentialResponse>, Ok<CredentialResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, [FromBody] ReissueRequest? request, ClaimsPrincipal user, IssuerDbContext db, CredentialIssuance issuance, IOptions<IssuerOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var old = await db.Credentials.AsNoTracking().Where(c => c.Id == id && c.OdsCode == ods)
            .Select(c => new { c.StaffId, c.Type, c.Claims }).FirstOrDefaultAsync(cancellationToken);
        if (old is null)
            return GetCredential.NotFound(id);
        var type = CredentialCatalogue.Find(old.Type);
        if (type is null)
            return Problems.Conflict("unknown_credential_type", $"Credential {id} has type '{old.Type}', which is no longer in the catalogue; issue a new credential instead.");

        var (claims, provenance) = (request?.Claims, request?.Provenance);
        if (claims is null || provenance is null)
        {
            var previous = JsonNode.Parse(old.Claims) as JsonObject ?? [];
            // New facts are newly checked (provenance defaults to now); the same facts keep the provenance they had.
            if (claims is null)
                provenance ??= previous[CredentialType.ProvenanceClaim] as JsonObject;
            claims ??= InputOf(type, previous);
        }
        var item = new IssueItem
        {
            StaffId = old.StaffId, Type = old.Type, Claims = claims, Provenance = provenance?.DeepClone().AsObject(), SourceReference = request?.SourceReference,
            Reason = request?.Reason ?? "re-issued", Replaces = id,
        };
        var outcome = (await issuance.IssueAsync(ods, [item], user.Actor(), cancellationToken))[0];
        return IssueCredential.ToResult(outcome, options.Value, time.GetUtcNow());
    }

    // The old claims as input again: what came from records is taken afresh from them.
    private static JsonObject InputOf(CredentialType type, JsonObject previous)
    {
        var input = new JsonObject();
        foreach (var field in type.Fields.Where(f => f.IsInput))
        {
            if (previous[field.Name] is { } value)
                input[field.Name] = value.DeepClone();
        }
        return input;
    }
}
