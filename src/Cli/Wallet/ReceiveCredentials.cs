using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Cli.Wallet;

/// <summary>What the issuer offers and what the wallet needs to redeem it (OpenID4VCI 1.0 §4.1.1).</summary>
internal sealed record ResolvedOffer(string CredentialIssuer, IReadOnlyList<string> ConfigurationIds, string PreAuthorizedCode, int? TxCodeLength, string? TxCodeDescription);

/// <summary>
/// Receives the credentials of an offer with the pre-authorized code flow of OpenID4VCI 1.0: resolve the offer, find the
/// token endpoint, redeem the code with the tx_code, then per credential a fresh c_nonce and a key proof for the holder
/// key. Each credential is checked (issuer signature, issuer, holder binding) before it is kept, and the issuer is told
/// whether it was accepted (§11).
/// </summary>
internal sealed class ReceiveCredentials(WalletHttp http, WalletStore store, TimeProvider time)
{
    public const string PreAuthorizedGrant = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
    private const string OfferScheme = "openid-credential-offer://";

    public async Task<ResolvedOffer> ResolveAsync(string offer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        offer = offer.Trim();
        JsonObject body;
        var query = offer.StartsWith(OfferScheme, StringComparison.OrdinalIgnoreCase) ? Query(offer) : [];
        if (query.TryGetValue("credential_offer_uri", out var byReference))
            body = await http.GetJsonAsync(byReference, "The credential offer", cancellationToken);
        else if (query.TryGetValue("credential_offer", out var byValue))
            body = WalletHttp.ParseObject(byValue, "The credential offer");
        else if (offer.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            body = await http.GetJsonAsync(offer, "The credential offer", cancellationToken);
        else
            throw new CommandFailedException("That is not a credential offer: give the openid-credential-offer:// link (the QR code's text) or the credential_offer_uri.");

        var issuer = body["credential_issuer"]?.GetValue<string>() ?? throw new CommandFailedException("The credential offer names no credential_issuer.");
        var ids = body["credential_configuration_ids"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
        var grant = body["grants"]?[PreAuthorizedGrant] as JsonObject
            ?? throw new CommandFailedException("The offer has no pre-authorized code grant, the only kind this wallet supports.");
        var code = grant["pre-authorized_code"]?.GetValue<string>() ?? throw new CommandFailedException("The offer's grant has no pre-authorized_code.");
        var tx = grant["tx_code"] as JsonObject;
        return new ResolvedOffer(issuer, ids, code, tx is null ? null : tx["length"]?.GetValue<int>() ?? 0, tx?["description"]?.GetValue<string>());
    }

    public async Task<IReadOnlyList<StoredCredential>> RedeemAsync(ResolvedOffer offer, string? txCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var issuer = offer.CredentialIssuer;
        var metadata = await http.GetJsonAsync(WalletHttp.WellKnown(issuer, "openid-credential-issuer"), "The credential issuer's metadata", cancellationToken);
        if (metadata["credential_issuer"]?.GetValue<string>() != issuer)
            throw new CommandFailedException($"The credential issuer's metadata names another issuer ({metadata["credential_issuer"]}).");
        var authorizationServer = metadata["authorization_servers"]?.AsArray().FirstOrDefault()?.GetValue<string>() ?? issuer;
        var oauth = await http.GetJsonAsync(WalletHttp.WellKnown(authorizationServer, "oauth-authorization-server"), "The authorization server's metadata", cancellationToken);
        var tokenEndpoint = Endpoint(oauth, "token_endpoint");
        var credentialEndpoint = Endpoint(metadata, "credential_endpoint");
        var nonceEndpoint = Endpoint(metadata, "nonce_endpoint");
        var notificationEndpoint = metadata["notification_endpoint"]?.GetValue<string>();

        var form = new Dictionary<string, string> { ["grant_type"] = PreAuthorizedGrant, ["pre-authorized_code"] = offer.PreAuthorizedCode };
        if (txCode is not null)
            form["tx_code"] = txCode;
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, WalletHttp.CheckUrl(tokenEndpoint, "The token endpoint")) { Content = new FormUrlEncodedContent(form) };
        var token = WalletHttp.ParseObject(await http.SendAsync(tokenRequest, "Redeeming the offer", cancellationToken, HttpStatusCode.OK), "The token response");
        var accessToken = token["access_token"]?.GetValue<string>() ?? throw new CommandFailedException("The token response has no access_token.");

        // OpenID4VCI 1.0 §6.2: authorization_details names each credential; without them, ask once per configuration.
        var targets = token["authorization_details"] is JsonArray details
            ? details.OfType<JsonObject>().SelectMany(d => (d["credential_identifiers"]?.AsArray() ?? []).Select(i => (
                Configuration: d["credential_configuration_id"]!.GetValue<string>(), Identifier: (string?)i!.GetValue<string>()))).ToList()
            : offer.ConfigurationIds.Select(c => (Configuration: c, Identifier: (string?)null)).ToList();

        var holder = store.HolderKey();
        var keys = await http.IssuerKeysAsync(issuer, cancellationToken);
        var received = new List<StoredCredential>();
        foreach (var (configuration, identifier) in targets)
        {
            using var nonceRequest = new HttpRequestMessage(HttpMethod.Post, WalletHttp.CheckUrl(nonceEndpoint, "The nonce endpoint"));
            var nonce = WalletHttp.ParseObject(await http.SendAsync(nonceRequest, "A c_nonce", cancellationToken, HttpStatusCode.OK), "The nonce response")["c_nonce"]?.GetValue<string>()
                ?? throw new CommandFailedException("The nonce endpoint gave no c_nonce.");
            var proof = await CompactJws.SignAsync(
                new JsonObject { ["typ"] = "openid4vci-proof+jwt", ["jwk"] = WalletStore.PublicJwk(holder) },
                new JsonObject { ["aud"] = issuer, ["iat"] = time.GetUtcNow().ToUnixTimeSeconds(), ["nonce"] = nonce },
                holder, holder.Reference, cancellationToken);
            var body = new JsonObject { ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proof) } };
            body[identifier is null ? "credential_configuration_id" : "credential_identifier"] = identifier ?? configuration;
            using var credentialRequest = Authorized(HttpMethod.Post, credentialEndpoint, "The credential endpoint", accessToken, body);
            var answer = WalletHttp.ParseObject(await http.SendAsync(credentialRequest, $"The {configuration} credential", cancellationToken, HttpStatusCode.OK), "The credential response");
            var sdJwt = answer["credentials"]?.AsArray().FirstOrDefault()?["credential"]?.GetValue<string>()
                ?? throw new CommandFailedException($"The {configuration} credential response carries no credential.");
            var notificationId = answer["notification_id"]?.GetValue<string>();

            var problem = Check(sdJwt, issuer, keys, holder);
            if (notificationEndpoint is not null && notificationId is not null)
            {
                var note = new JsonObject { ["notification_id"] = notificationId, ["event"] = problem is null ? "credential_accepted" : "credential_failure" };
                if (problem is not null)
                    note["event_description"] = Ascii(problem);
                using var notify = Authorized(HttpMethod.Post, notificationEndpoint, "The notification endpoint", accessToken, note);
                await http.SendAsync(notify, "Telling the issuer the credential was received", cancellationToken, HttpStatusCode.NoContent, HttpStatusCode.OK);
            }
            if (problem is not null)
                throw new CommandFailedException($"The {configuration} credential was refused: {problem}");

            var stored = new StoredCredential(Guid.CreateVersion7(), issuer, configuration, DisplayName(metadata, configuration), time.GetUtcNow(), sdJwt);
            store.Add(stored);
            received.Add(stored);
        }
        return received;
    }

    /// <summary>Null when the credential is what a wallet should keep; otherwise why not.</summary>
    private static string? Check(string sdJwt, string issuer, JsonWebKeySet keys, EcdsaJwsSigner holder)
    {
        if (!HeldCredential.TryParse(sdJwt, out var held, out var error))
            return $"it is not a well-formed SD-JWT ({error?.Code}).";
        if (held.Jwt.Type != "dc+sd-jwt" || held.Jwt.Algorithm != "ES256")
            return $"its typ is '{held.Jwt.Type}' and alg '{held.Jwt.Algorithm}', not dc+sd-jwt and ES256.";
        if (held.Issuer != issuer)
            return $"it names issuer '{held.Issuer}', not {issuer}.";
        if (held.Jwt.KeyId is not { } kid || keys.Find(kid) is not { } key || !held.Jwt.VerifyWith(key))
            return "its signature does not verify with the issuer's published keys.";
        if (!EcPublicJwk.TryParse(held.Jwt.Payload["cnf"]?["jwk"], out var bound, out _) || !bound.SameKeyAs(holder.PublicJwk))
            return "it is not bound to this wallet's holder key.";
        return null;
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string url, string what, string accessToken, JsonObject body)
    {
        var request = new HttpRequestMessage(method, WalletHttp.CheckUrl(url, what)) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return request;
    }

    private static string Endpoint(JsonObject metadata, string name) =>
        metadata[name]?.GetValue<string>() ?? throw new CommandFailedException($"The issuer's metadata has no {name}.");

    private static string DisplayName(JsonObject metadata, string configuration) =>
        metadata["credential_configurations_supported"]?[configuration]?["credential_metadata"]?["display"]?.AsArray().FirstOrDefault()?["name"]?.GetValue<string>()
        ?? configuration;

    private static string Ascii(string text) => new([.. text.Where(c => c is >= ' ' and <= '~' and not '"' and not '\\').Take(1000)]);

    private static Dictionary<string, string> Query(string uri)
    {
        var start = uri.IndexOf('?', StringComparison.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (start < 0)
            return result;
        foreach (var pair in uri[(start + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                result[Uri.UnescapeDataString(pair[..eq])] = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return result;
    }

    public static Dictionary<string, string> QueryOf(string uri) => Query(uri);
}
