using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Passport.Issuer.Offers;

/// <summary>The error body OAuth 2.0 (RFC 6749 §5.2) and OpenID4VCI 1.0 prescribe for the wallet-facing endpoints, in place of ProblemDetails.</summary>
public sealed record OAuthErrorBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
    [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>
/// An OAuth / OpenID4VCI error response: <c>{error, error_description}</c> with 400, or 401 with a Bearer challenge
/// (RFC 6750 §3) for a missing or bad access token. Never cached.
/// </summary>
internal sealed class OAuthError : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<OAuthErrorBody>, IEndpointMetadataProvider
{
    private OAuthError(int status, string error, string description, bool challenge)
    {
        StatusCode = status;
        Value = new OAuthErrorBody(error, description);
        Challenge = challenge;
    }

    public int? StatusCode { get; }
    public OAuthErrorBody Value { get; }
    object? IValueHttpResult.Value => Value;
    private bool Challenge { get; }
    private bool BareChallenge { get; init; }

    // RFC 6749 §5.2
    public static OAuthError InvalidRequest(string description) => new(400, "invalid_request", description, false);
    public static OAuthError InvalidGrant(string description) => new(400, "invalid_grant", description, false);
    public static OAuthError UnsupportedGrantType(string description) => new(400, "unsupported_grant_type", description, false);

    // OpenID4VCI 1.0 §8.3.1.2 (credential endpoint) and §11.3 (notification endpoint)
    public static OAuthError InvalidCredentialRequest(string description) => new(400, "invalid_credential_request", description, false);
    public static OAuthError UnknownCredentialConfiguration(string description) => new(400, "unknown_credential_configuration", description, false);
    public static OAuthError UnknownCredentialIdentifier(string description) => new(400, "unknown_credential_identifier", description, false);
    public static OAuthError InvalidProof(string description) => new(400, "invalid_proof", description, false);
    public static OAuthError InvalidNonce(string description) => new(400, "invalid_nonce", description, false);
    public static OAuthError InvalidEncryptionParameters(string description) => new(400, "invalid_encryption_parameters", description, false);
    public static OAuthError CredentialRequestDenied(string description) => new(400, "credential_request_denied", description, false);
    public static OAuthError InvalidNotificationId(string description) => new(400, "invalid_notification_id", description, false);
    public static OAuthError InvalidNotificationRequest(string description) => new(400, "invalid_notification_request", description, false);

    /// <summary>RFC 6750 §3.1: a token that is unknown, expired or for another issuer.</summary>
    public static OAuthError InvalidToken(string description) => new(401, "invalid_token", description, true);

    /// <summary>RFC 6750 §3.1: no token at all gets a bare challenge; the body still says invalid_token for clients that read it.</summary>
    public static OAuthError MissingToken(string description) => new(401, "invalid_token", description, true) { BareChallenge = true };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCode!.Value;
        httpContext.Response.Headers.CacheControl = "no-store";
        if (Challenge)
        {
            // The description is ours and plain ASCII without quotes, so it is safe inside the quoted-string.
            httpContext.Response.Headers.WWWAuthenticate = BareChallenge
                ? "Bearer"
                : $"Bearer error=\"{Value.Error}\", error_description=\"{Value.ErrorDescription.Replace('"', '\'')}\"";
        }
        await httpContext.Response.WriteAsJsonAsync(Value, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(400, typeof(OAuthErrorBody), ["application/json"]));
        builder.Metadata.Add(new ProducesResponseTypeMetadata(401, typeof(OAuthErrorBody), ["application/json"]));
    }
}
