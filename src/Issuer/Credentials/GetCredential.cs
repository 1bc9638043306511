using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Credentials;

/// <summary>HR's view of one credential: what it attests, its lifecycle and where its status lives.</summary>
public sealed record CredentialResponse(
    Guid Id, Guid StaffId, string Type, string Vct, [AllowedValuesFrom(typeof(GetCredential), nameof(GetCredential.StatusName))] string Status,
    [Description("Why it was withdrawn or suspended.")][AllowedValuesFrom(typeof(ChangeCredentialStatus), nameof(ChangeCredentialStatus.Reasons))] string? StatusReason, DateTimeOffset? StatusChangedAt, DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt, bool Expired, string? SourceReference, Guid? ReplacesId, string StatusListUri, int StatusIndex, JsonObject? Claims);

internal static class GetCredential
{
    public static async Task<Results<Ok<CredentialResponse>, ProblemHttpResult>> Handle(
        Guid id, ClaimsPrincipal user, IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        var credential = await db.Credentials.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.OdsCode == ods, cancellationToken);
        return credential is null ? NotFound(id) : TypedResults.Ok(credential.ToResponse(options.Value, time.GetUtcNow()));
    }

    public static ProblemHttpResult NotFound(Guid id) => Problems.NotFound("credential_not_found", $"Your organisation has no credential {id}.");

    public static string StatusName(this IssuedCredential c) => StatusName(c.Status);

    public static string StatusName(CredentialStatus status) => status switch
    {
        CredentialStatus.Active => "active",
        CredentialStatus.Suspended => "suspended",
        _ => "withdrawn",
    };

    public static CredentialResponse ToResponse(this IssuedCredential c, IssuerOptions options, DateTimeOffset now) => new(
        c.Id, c.StaffId, c.Type, c.Vct, c.StatusName(), c.StatusReason, c.StatusChangedAt, c.IssuedAt, c.ExpiresAt, c.ExpiresAt <= now,
        c.SourceReference, c.ReplacesId, options.StatusListUri(c.OdsCode, c.StatusListId), c.StatusIndex, JsonNode.Parse(c.Claims) as JsonObject);
}
