using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Passport.ServiceDefaults;

/// <summary>
/// The JWT bearer token handler, remembering which access tokens it has validated: an integration sends the same token with
/// every request until it expires, and validating it again (an ES256 verify, header and payload parsing) was about one raw
/// verify of CPU per request (issue #14). A remembered token is accepted until the earlier of its <c>exp</c> (without the
/// clock skew) and <see cref="MaxAge"/> after it was validated; its claims identity is built afresh for every request, so no
/// request sees another's. Only a successful validation is remembered; a refused token is validated again each time.
/// The token string is the key: one handler serves one scheme's fixed validation parameters, and a change of options
/// builds a new handler. A signing key removed by the identity provider stops a remembered token within <see cref="MaxAge"/>
/// (the OpenID Connect configuration that holds the keys is itself refreshed far less often).
/// </summary>
internal sealed class ValidatedTokenCache(TimeProvider time, int capacity) : JsonWebTokenHandler
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Remembered> _validated = new(StringComparer.Ordinal);

    private sealed record Remembered(JsonWebToken Token, DateTimeOffset Until);

    internal int Count => _validated.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        var now = time.GetUtcNow();
        if (token is not null && _validated.TryGetValue(token, out var remembered))
        {
            if (now < remembered.Until)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    SecurityToken = remembered.Token,
                    ClaimsIdentity = CreateClaimsIdentity(remembered.Token, validationParameters),
                    Issuer = remembered.Token.Issuer,
                    TokenType = remembered.Token.Typ,
                };
            }
            _validated.TryRemove(new KeyValuePair<string, Remembered>(token, remembered));
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (capacity > 0 && token is not null && result.IsValid && result.SecurityToken is JsonWebToken validated)
        {
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
            var until = expires < now + MaxAge ? expires : now + MaxAge;
            if (until > now)
            {
                if (_validated.Count >= capacity)
                    _validated.Clear();
                _validated[token] = new Remembered(validated, until);
            }
        }
        return result;
    }
}
