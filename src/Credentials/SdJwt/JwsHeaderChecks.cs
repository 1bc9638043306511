using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>The header rules a credential JWT and a KB-JWT share: ES256 only, keys never from the token, no critical extensions.</summary>
internal static class JwsHeaderChecks
{
    // Keys come only from the issuer's published key set; a compressed payload (JWE's zip) has no place in a JWS.
    private static readonly string[] ForbiddenHeaders = ["jwk", "jku", "x5u", "x5c", "zip"];

    public static CredentialError? AlgorithmIsEs256(CompactJws jws, string what)
    {
        var alg = jws.Algorithm;
        if (alg == "ES256")
            return null;
        if (string.Equals(alg, "none", StringComparison.OrdinalIgnoreCase))
            return CredentialError.Of(ErrorCodes.AlgorithmNotAllowed, $"The {what} is unsigned (alg none); only ES256 is accepted.");
        return CredentialError.Of(ErrorCodes.AlgorithmNotAllowed, $"The {what}'s alg is '{alg}'; only ES256 is accepted.");
    }

    public static CredentialError? NoForbiddenHeaders(CompactJws jws, string what)
    {
        foreach (var name in ForbiddenHeaders)
        {
            if (jws.HeaderContains(name))
                return CredentialError.Of(ErrorCodes.ForbiddenHeader, name == "zip"
                    ? $"The {what}'s header carries 'zip'; a signed JWT's payload is never compressed."
                    : $"The {what}'s header carries '{name}'; keys are never taken from the token itself.");
        }
        // RFC 7515 §4.1.11: we understand no extensions, so any crit is refused.
        return jws.HeaderContains("crit")
            ? CredentialError.Of(ErrorCodes.UnsupportedCritical, $"The {what}'s header lists critical extensions this verifier does not understand.")
            : null;
    }
}
