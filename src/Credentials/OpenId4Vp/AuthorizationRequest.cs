using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.OpenId4Vp;

/// <summary>A verified OpenID4VP 1.0 request object: who asks (x509_hash client identifier), where to answer, the nonce and the DCQL query.</summary>
public sealed record AuthorizationRequest(
    string ClientId, string CertificateSubject, string? ClientName, Uri ResponseUri, string Nonce, string State, JsonObject DcqlQuery)
{
    public const string X509HashPrefix = "x509_hash:";

    /// <summary>The <c>client_id</c> and <c>request_uri</c> of an <c>openid4vp://</c> link (§5.7); null when the link is not one.</summary>
    public static (string ClientId, Uri RequestUri)? ParseLink(string? link)
    {
        if (string.IsNullOrWhiteSpace(link) || link.Length > 4096)
            return null;
        var text = link.Trim();
        var queryAt = text.IndexOf('?', StringComparison.Ordinal);
        if (queryAt < 0)
            return null;
        string? clientId = null, requestUri = null;
        foreach (var pair in text[(queryAt + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                continue;
            var name = Uri.UnescapeDataString(pair[..eq]);
            var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (name == "client_id")
                clientId = value;
            else if (name == "request_uri")
                requestUri = value;
        }
        return clientId is not null && requestUri is not null && Uri.TryCreate(requestUri, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? (clientId, uri)
            : null;
    }

    /// <summary>
    /// Checks a request object fetched by reference: ES256 and <c>oauth-authz-req+jwt</c>, signed by the x5c leaf whose hash is the
    /// <c>x509_hash</c> client identifier of the link and of the payload (§5.9.3), vp_token by direct_post, not expired.
    /// </summary>
    public static bool TryVerify(string jwt, string linkClientId, DateTimeOffset now, out AuthorizationRequest request, out CredentialError? error)
    {
        request = null!;
        error = null;
        if (!CompactJws.TryParse(jwt.Trim(), out var jws, out var parseError))
            return Fail("invalid_request_object", $"The presentation request is not a signed JWT ({parseError?.Code}).", out error);
        if (jws.Algorithm != "ES256" || jws.Type != "oauth-authz-req+jwt")
            return Fail("invalid_request_object", "The presentation request is not an ES256 oauth-authz-req+jwt.", out error);
        using var certificate = Leaf(jws.Header);
        if (certificate is null)
            return Fail("invalid_request_object", "The presentation request carries no readable x5c certificate.", out error);
        var clientId = X509HashPrefix + Base64UrlStrict.Encode(SHA256.HashData(certificate.RawData));
        var payload = jws.Payload;
        if (linkClientId != clientId || payload.GetString("client_id") != clientId)
            return Fail("client_id_mismatch", "The request's client_id does not match the certificate that signed it.", out error);
        using (var key = certificate.GetECDsaPublicKey())
        {
            if (key is null || key.KeySize != 256 || !jws.VerifyWith(EcPublicJwk.FromECDsa(key)))
                return Fail("invalid_request_signature", "The presentation request's signature does not verify with its certificate.", out error);
        }
        if (payload.GetString("response_type") != "vp_token" || payload.GetString("response_mode") != "direct_post")
            return Fail("unsupported_request", "Only vp_token requests with response_mode direct_post are answered.", out error);
        if (payload.TryGetNumericDate("exp", out var exp, out _) && DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799)) <= now)
            return Fail("request_expired", "The presentation request has expired; ask the organisation for a new one.", out error);
        if (!Uri.TryCreate(payload.GetString("response_uri"), UriKind.Absolute, out var responseUri)
            || (responseUri.Scheme != Uri.UriSchemeHttps && responseUri.Scheme != Uri.UriSchemeHttp))
            return Fail("invalid_request_object", "The request has no usable response_uri.", out error);
        if (payload.GetString("nonce") is not { Length: > 0 } nonce)
            return Fail("invalid_request_object", "The request has no nonce.", out error);
        if (payload["dcql_query"] is not JsonObject dcql)
            return Fail("invalid_request_object", "The request has no DCQL query.", out error);
        var name = payload["client_metadata"] is JsonObject metadata ? metadata.GetString("client_name")?.Trim() : null;
        request = new AuthorizationRequest(clientId, certificate.Subject, string.IsNullOrEmpty(name) ? null : name, responseUri, nonce,
            payload.GetString("state") ?? "", dcql);
        return true;
    }

    private static bool Fail(string code, string message, out CredentialError? error)
    {
        error = CredentialError.Of(code, message);
        return false;
    }

    private static X509Certificate2? Leaf(JsonObject header)
    {
        if (header["x5c"] is not JsonArray { Count: > 0 } chain || chain[0] is not JsonValue first || !first.TryGetValue<string>(out var der))
            return null;
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
