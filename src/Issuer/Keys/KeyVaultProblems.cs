using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

/// <summary>Key Vault failures become 503 problems that say what failed, never the exception's internals.</summary>
internal static class KeyVaultProblems
{
    public static ProblemHttpResult For(KeyVaultException ex) => ex.Failure switch
    {
        KeyVaultFailure.Refused => Problems.Problem(StatusCodes.Status503ServiceUnavailable, "key_vault_refused",
            "The key vault refused our credentials, so nothing can be signed; an administrator must restore the service's access to the vault.", "Service unavailable"),
        KeyVaultFailure.Throttled => Problems.Problem(StatusCodes.Status503ServiceUnavailable, "key_vault_busy",
            "The key vault is throttling signing requests; try again in a minute.", "Service unavailable"),
        _ => Problems.Problem(StatusCodes.Status503ServiceUnavailable, "key_vault_unavailable",
            "The key vault could not sign or create a key just now; try again shortly.", "Service unavailable"),
    };
}

/// <summary>Maps a <see cref="KeyVaultException"/> thrown from any endpoint that signs to its 503 problem.</summary>
internal sealed partial class KeyVaultExceptionHandler(ILogger<KeyVaultExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not KeyVaultException keyVault)
            return false;
        LogKeyVaultFailure(log, keyVault.Failure, keyVault.Message);
        await KeyVaultProblems.For(keyVault).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Key Vault failure ({Failure}): {Reason}")]
    private static partial void LogKeyVaultFailure(ILogger logger, KeyVaultFailure failure, string reason);
}
