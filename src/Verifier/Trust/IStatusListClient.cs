using Passport.Credentials;
using Passport.Credentials.SdJwt;

namespace Passport.Verifier.Trust;

/// <summary>
/// Reads a credential's status from its issuer's status list: fetched with bounded size and time, verified, cached within
/// its ttl, and failing closed (an error, never "valid") when the list cannot be had.
/// </summary>
public interface IStatusListClient
{
    ValueTask<StatusLookup> GetStatusAsync(string issuer, StatusReference reference, CancellationToken cancellationToken);
}

/// <summary>The status (0 valid, 1 invalid, 2 suspended, 3 application specific) or why it could not be read.</summary>
public readonly record struct StatusLookup(byte? Status, CredentialError? Error);
