using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

public sealed record RotateKeyResponse(KeyResponse Active, KeyResponse? Retired);

/// <summary>
/// Rotates the caller's organisation to a new signing key: creates it with the configured provider, publishes it and
/// signs with it from now on. The previous key stops signing but stays published until everything it signed has expired.
/// </summary>
internal static class RotateKey
{
    public static async Task<Results<Ok<RotateKeyResponse>, ProblemHttpResult>> Handle(
        ClaimsPrincipal user, IssuerDbContext db, SigningKeys keys, IOptions<IssuerOptions> issuer, TimeProvider time, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Organisations.AnyAsync(o => o.OdsCode == ods, cancellationToken))
            return Problems.NotFound("organisation_not_found", $"Organisation {ods} is not registered with this issuer.");

        var now = time.GetUtcNow();
        SigningKey created;
        try
        {
            created = await keys.NewKeyAsync(ods, now, cancellationToken);
        }
        catch (KeyVaultException ex)
        {
            return KeyVaultProblems.For(ex);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = await db.SigningKeys.SingleOrDefaultAsync(k => k.OdsCode == ods && k.RetiredAt == null, cancellationToken);
        if (previous is not null)
        {
            var lastExpiry = await keys.LastExpiryAsync(previous.Kid, cancellationToken);
            // Status list tokens are signed with the key too and live up to StatusListLifetime, but are not recorded per key.
            var floor = now + issuer.Value.StatusListLifetime;
            if (!previous.TryRetire(now, lastExpiry is { } last && last > floor ? last : floor, out var problem))
                return Problems.Conflict("key_already_retired", problem!);
            // Retire first, in its own statement: the unique index allows one unretired key per organisation.
            await db.SaveChangesAsync(cancellationToken);
        }
        db.SigningKeys.Add(created);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Is(ex))
        {
            return Problems.Conflict("rotation_in_progress", "Another rotation for this organisation finished first; list the keys to see the active one.");
        }
        return TypedResults.Ok(new RotateKeyResponse(created.ToResponse(), previous?.ToResponse()));
    }
}
