using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Passport.ServiceDefaults;

/// <summary>The access token lacks a scope this service requires; its message names them and is safe to show.</summary>
internal sealed class MissingScopeException(IEnumerable<string> required)
    : Exception($"The access token carries none of the scopes this service requires ({string.Join(", ", required)}); ask your identity provider for a token with one of them.");

/// <summary>
/// 401 and 403 as problems that say what is missing: an access token, a valid one, a scope, a role or a claim. The reasons
/// are ours, never the token library's exception text. Policies of other schemes (the web pages' cookie) keep their own answers.
/// </summary>
internal sealed class AuthorizationProblems : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var (code, header, detail) = context.AuthenticateFailure switch
        {
            null => ("not_authenticated", "Bearer",
                "Send an access token from your organisation's identity provider in the header 'Authorization: Bearer <token>'."),
            MissingScopeException missing => ("missing_scope", "Bearer error=\"insufficient_scope\"", missing.Message),
            _ => ("invalid_token", "Bearer error=\"invalid_token\"",
                "The access token was refused: it has expired, is not yet valid, is for another service, or is not signed by your identity provider. Sign in again for a new one."),
        };
        context.Response.Headers.WWWAuthenticate = header;
        await Problems.Problem(StatusCodes.Status401Unauthorized, code, detail).ExecuteAsync(context.HttpContext);
    }

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var bearer = policy.AuthenticationSchemes.Count == 0 || policy.AuthenticationSchemes.Contains(JwtBearerDefaults.AuthenticationScheme);
        if (!authorizeResult.Forbidden || !bearer)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
        var claim = failed.OfType<ClaimsAuthorizationRequirement>().FirstOrDefault();
        var (code, detail) = (failed.OfType<RolesAuthorizationRequirement>().Any(), claim) switch
        {
            (true, _) => ("missing_role", OperationDescription.Roles(policy) switch
            {
                null or [] => "Your access token does not have a role that may do this.",
                [var one] => $"This needs the role '{one}' in your access token; ask your organisation's administrator for it.",
                var roles => $"This needs one of the roles '{string.Join("', '", roles)}' in your access token; ask your organisation's administrator for one.",
            }),
            (false, { } c) => ("missing_claim", $"Your access token has no '{c.ClaimType}' claim{Meaning(c.ClaimType)}; ask your identity provider to include it."),
            _ => ("forbidden", "You may not do this with your access token."),
        };
        await Problems.Forbidden(code, detail).ExecuteAsync(context);
    }

    private static string Meaning(string claimType) => claimType switch
    {
        PassportClaims.Organisation => " (your organisation's ODS code)",
        "sub" => " (who you are)",
        _ => "",
    };
}
