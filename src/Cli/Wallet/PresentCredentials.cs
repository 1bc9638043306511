using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Cli.Wallet;

/// <summary>A verified OpenID4VP request and how the wallet would answer it.</summary>
internal sealed record PresentationPlan(
    string ClientId, string CertificateSubject, string ResponseUri, string Nonce, string State, JsonObject Query,
    IReadOnlyList<DcqlAnswer> Answers, IReadOnlyList<string> Unanswered)
{
    /// <summary>The organisation asking, as it names itself (<c>client_metadata.client_name</c>, OpenID4VP 1.0 §5.1); null when it does not.</summary>
    public string? ClientName { get; init; }
}

/// <summary>A disclosed claim, as the verifier will see it.</summary>
internal sealed record DisclosedClaim(string QueryId, string Credential, string Path, string Value, string How);

/// <summary>
/// Answers an OpenID4VP 1.0 request: fetch the request object by reference, check its signature against the x5c leaf
/// and the <c>x509_hash</c> client identifier (§5.9.3), match its DCQL query, and after consent post, with
/// <c>direct_post</c>, one key-bound presentation per credential query disclosing only the claims asked for.
/// </summary>
internal sealed class PresentCredentials(WalletHttp http, WalletStore store, TimeProvider time)
{
    public const string X509HashPrefix = "x509_hash:";

    public async Task<PresentationPlan> PlanAsync(string link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var query = ReceiveCredentials.QueryOf(link.Trim());
        if (!query.TryGetValue("request_uri", out var requestUri) || !query.TryGetValue("client_id", out var clientId))
            throw new CommandFailedException("That is not an OpenID4VP request: give the openid4vp:// link (the QR code's text) with client_id and request_uri.");
        var jwt = await http.GetStringAsync(requestUri, "The presentation request", "application/oauth-authz-req+jwt", cancellationToken);
        if (!CompactJws.TryParse(jwt.Trim(), out var request, out var error))
            throw new CommandFailedException($"The presentation request is not a signed JWT ({error?.Code}).");
        if (request.Algorithm != "ES256" || request.Type != "oauth-authz-req+jwt")
            throw new CommandFailedException($"The presentation request has alg '{request.Algorithm}' and typ '{request.Type}'; expected ES256 and oauth-authz-req+jwt.");

        using var certificate = Leaf(request.Header);
        var expectedClientId = X509HashPrefix + Base64UrlStrict.Encode(SHA256.HashData(certificate.RawData));
        var payload = request.Payload;
        if (clientId != expectedClientId || Str(payload, "client_id") != expectedClientId)
            throw new CommandFailedException("The request's client_id does not match the certificate that signed it (x509_hash); it may have been tampered with.");
        using (var key = certificate.GetECDsaPublicKey() ?? throw new CommandFailedException("The request's certificate does not hold a P-256 key."))
        {
            if (key.KeySize != 256 || !request.VerifyWith(EcPublicJwk.FromECDsa(key)))
                throw new CommandFailedException("The presentation request's signature does not verify with its certificate.");
        }
        if (Str(payload, "response_type") != "vp_token" || Str(payload, "response_mode") != "direct_post")
            throw new CommandFailedException("This wallet answers vp_token requests with response_mode direct_post only.");
        if (payload["exp"] is JsonValue exp && exp.TryGetValue<long>(out var expiry) && DateTimeOffset.FromUnixTimeSeconds(expiry) < time.GetUtcNow())
            throw new CommandFailedException("The presentation request has expired; ask the verifier for a new one.");
        var responseUri = Str(payload, "response_uri") ?? throw new CommandFailedException("The request has no response_uri.");
        WalletHttp.CheckUrl(responseUri, "The response_uri");
        var nonce = Str(payload, "nonce") ?? throw new CommandFailedException("The request has no nonce.");
        var state = Str(payload, "state") ?? "";
        var dcql = payload["dcql_query"] as JsonObject ?? throw new CommandFailedException("The request has no DCQL query.");

        var (answers, unanswered) = DcqlMatch.Match(dcql, store.List(), time.GetUtcNow());
        var clientName = payload["client_metadata"] is JsonObject metadata ? Str(metadata, "client_name") : null;
        return new PresentationPlan(expectedClientId, certificate.Subject, responseUri, nonce, state, dcql, answers, unanswered)
        {
            ClientName = string.IsNullOrWhiteSpace(clientName) ? null : clientName.Trim(),
        };
    }

    /// <summary>
    /// Every claim the verifier will be able to read, by credential query: the claims asked for (selectively disclosed, or
    /// always visible in the credential), and the credential's other always-visible claims, which no wallet can hide.
    /// </summary>
    public static IReadOnlyList<DisclosedClaim> Disclosed(PresentationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var result = new List<DisclosedClaim>();
        foreach (var answer in plan.Answers)
        {
            var selected = answer.Held.Select(answer.Paths);
            var disclosedTop = selected.Select(d => answer.Held.PathOf(d)[0].ToString()).ToHashSet(StringComparer.Ordinal);
            var asked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in answer.Paths)
            {
                var top = path.Segments is [var first, ..] ? first?.ToString() ?? "" : "";
                asked.Add(top);
                var value = DcqlMatch.Values(answer.Held.Claims, path);
                result.Add(new DisclosedClaim(answer.QueryId, answer.Credential.Name, path.ToString(), value,
                    disclosedTop.Contains(top) ? "asked, disclosed" : "asked, always shown"));
            }
            foreach (var (name, value) in answer.Held.Jwt.Payload)
            {
                if (!Registered.Contains(name) && !asked.Contains(name))
                    result.Add(new DisclosedClaim(answer.QueryId, answer.Credential.Name, name, Short(value?.ToJsonString() ?? "null"), "always shown"));
            }
        }
        return result;
    }

    // Registered claims the verifier needs to check the credential itself (SD-JWT VC §3.2.2); SD-JWT's own digests reveal nothing.
    private static readonly HashSet<string> Registered = new(StringComparer.Ordinal) { "iss", "vct", "iat", "nbf", "exp", "cnf", "status", "sub", "_sd", "_sd_alg", "vct#integrity" };

    private static string Short(string json) => json.Length > 60 ? json[..57] + "..." : json;

    public async Task SubmitAsync(PresentationPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var holder = store.HolderKey();
        var binding = new KeyBindingRequest(plan.ClientId, plan.Nonce, time.GetUtcNow());
        var vpToken = new JsonObject();
        foreach (var answer in plan.Answers)
        {
            var presentation = await answer.Held.PresentAsync(answer.Held.Select(answer.Paths), binding, holder, holder.Reference, cancellationToken);
            vpToken[answer.QueryId] = new JsonArray(presentation);
        }
        await PostAsync(plan, new Dictionary<string, string> { ["vp_token"] = vpToken.ToJsonString(), ["state"] = plan.State }, cancellationToken);
    }

    /// <summary>The member of staff said no: the verifier hears access_denied (OpenID4VP 1.0 §8.5) rather than waiting.</summary>
    public Task DeclineAsync(PresentationPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return PostAsync(plan, new Dictionary<string, string> { ["error"] = "access_denied", ["state"] = plan.State }, cancellationToken);
    }

    private async Task PostAsync(PresentationPlan plan, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, WalletHttp.CheckUrl(plan.ResponseUri, "The response_uri")) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        await http.SendAsync(request, "Sending the presentation", cancellationToken, HttpStatusCode.OK);
    }

    private static X509Certificate2 Leaf(JsonObject header)
    {
        if (header["x5c"] is not JsonArray { Count: > 0 } chain || chain[0] is not JsonValue first || !first.TryGetValue<string>(out var der))
            throw new CommandFailedException("The presentation request carries no x5c certificate, which an x509_hash client identifier needs.");
        try
        {
            return X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            throw new CommandFailedException("The presentation request's x5c certificate cannot be read.");
        }
    }

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
