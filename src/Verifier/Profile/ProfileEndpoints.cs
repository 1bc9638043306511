using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;
using Passport.Verifier.Presentations;

namespace Passport.Verifier.Profile;

internal static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapVerifierProfile(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/verifier-profile").RequireAuthorization(PassportPolicies.Verifier).WithTags("Verifier profile");
        group.MapGet("/", GetVerifierProfile.Handle).WithName("GetVerifierProfile")
            .WithSummary("The name wallets are shown for your organisation, and its OpenID4VP client identifier");
        group.MapPut("/", SetVerifierProfile.Handle).WithName("SetVerifierProfile").RequireAuthorization(PassportPolicies.OrganisationAdmin)
            .WithSummary("Set the name wallets are shown for your organisation (its client identifier changes with it)");
        return app;
    }
}

/// <summary>The name wallets are shown for the caller's organisation, and its OpenID4VP client identifier.</summary>
public sealed record VerifierProfileResponse(string OdsCode, string Name, string ClientId, DateTimeOffset UpdatedAt);

internal static class GetVerifierProfile
{
    public static async Task<Ok<VerifierProfileResponse>> Handle(ClaimsPrincipal user, VerifierDbContext db, RequestObjectSigner signer, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var identity = await ClientIdentity.ForAsync(db, signer, user.OdsCode(), time.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(identity.ToResponse());
    }
}

internal static class SetVerifierProfile
{
    public sealed record VerifierProfileRequest(
        [Required(ErrorMessage = NameError)][MaxLength(200, ErrorMessage = NameError)][RegularExpression(@"^\P{Cc}*$", ErrorMessage = NameError)] string? Name);

    private const string NameError = "Give the organisation's name as staff know it: 1 to 200 characters, no control characters.";

    public static async Task<Results<Ok<VerifierProfileResponse>, ValidationProblem>> Handle(
        VerifierProfileRequest request, ClaimsPrincipal user, VerifierDbContext db, RequestObjectSigner signer, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = request.Name!.Trim();
        var ods = user.OdsCode();
        var now = time.GetUtcNow();
        var profile = await db.Set<VerifierProfile>().FirstOrDefaultAsync(p => p.OdsCode == ods, cancellationToken);
        if (profile is null)
        {
            profile = new VerifierProfile { OdsCode = ods, Name = name, UpdatedAt = now, UpdatedBy = user.Actor() };
            db.Set<VerifierProfile>().Add(profile);
        }
        (profile.Name, profile.UpdatedAt, profile.UpdatedBy) = (name, now, user.Actor());
        profile.ClientCertificate = signer.ClientCertificateFor(ods, name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            db.ChangeTracker.Clear();
            return await Handle(request, user, db, signer, time, cancellationToken);
        }
        return TypedResults.Ok(profile.ToResponse());
    }
}

/// <summary>
/// An organisation's OpenID4VP client identity: its name and the certificate that names it. Until an organisation admin
/// sets a name, the ODS code stands in. The certificate is stored so that every instance, and every restart, shows
/// wallets the same client identifier; it is made again only when the signing key or its certificate changes.
/// </summary>
internal static class ClientIdentity
{
    public static async Task<VerifierProfile> ForAsync(VerifierDbContext db, RequestObjectSigner signer, string ods, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var profile = await db.Set<VerifierProfile>().FirstOrDefaultAsync(p => p.OdsCode == ods, cancellationToken);
        if (profile?.ClientCertificate is { } stored && signer.IsCurrent(stored))
            return profile;
        if (profile is null)
        {
            profile = new VerifierProfile { OdsCode = ods, Name = ods, UpdatedAt = now, UpdatedBy = "passport" };
            db.Set<VerifierProfile>().Add(profile);
        }
        profile.ClientCertificate = signer.ClientCertificateFor(ods, profile.Name);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return profile;
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e) || e is DbUpdateConcurrencyException)
        {
            // Another request made it first: use theirs, so both show the wallet one identifier.
            db.ChangeTracker.Clear();
            return await db.Set<VerifierProfile>().AsNoTracking().FirstAsync(p => p.OdsCode == ods, cancellationToken);
        }
    }

    public static string ClientId(this VerifierProfile profile) => RequestObjectSigner.ClientIdOf(profile.ClientCertificate!);

    public static VerifierProfileResponse ToResponse(this VerifierProfile profile) => new(profile.OdsCode, profile.Name, profile.ClientId(), profile.UpdatedAt);
}
