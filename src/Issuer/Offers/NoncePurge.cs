using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>
/// Deletes spent and expired c_nonces. The nonce endpoint is open to any wallet, so without this the table would grow with
/// every request for as long as the service runs; a nonce is worthless once expired, used or not.
/// </summary>
internal sealed class NoncePurge(IServiceScopeFactory scopes, TimeProvider time, ILogger<NoncePurge> log) : Housekeeping(time, log)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(10);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PurgeAsync(cancellationToken);

    /// <summary>One pass; returns how many nonces it deleted. Instances may run it at once: each row goes once.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var now = Time.GetUtcNow();
        return await db.Nonces.Where(n => n.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
    }
}
