using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Issuer.Tests.Offers;

/// <summary>A wallet written from the spec, step by step, so each test can break exactly one step.</summary>
internal sealed class TestWallet(HttpClient http) : IDisposable
{
    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public EcPublicJwk PublicKey => EcPublicJwk.FromECDsa(Key);

    public static string CredentialOfferUri(string offerUri)
    {
        const string prefix = "openid-credential-offer://?credential_offer_uri=";
        Assert.StartsWith(prefix, offerUri, StringComparison.Ordinal);
        return Uri.UnescapeDataString(offerUri[prefix.Length..]);
    }

    public async Task<JsonObject> ResolveOfferAsync(string offerUri) =>
        (JsonObject)JsonNode.Parse(await http.GetStringAsync(new Uri(CredentialOfferUri(offerUri))))!;

    public static string PreAuthorizedCode(JsonObject offer) =>
        offer["grants"]!["urn:ietf:params:oauth:grant-type:pre-authorized_code"]!["pre-authorized_code"]!.GetValue<string>();

    public Task<HttpResponseMessage> TokenAsync(string issuer, string preAuthorizedCode, string? txCode)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            ["pre-authorized_code"] = preAuthorizedCode,
        };
        if (txCode is not null)
            form["tx_code"] = txCode;
        return http.PostAsync(new Uri($"{issuer}/token"), new FormUrlEncodedContent(form));
    }

    public async Task<string> AccessTokenAsync(string issuer, string preAuthorizedCode, string txCode)
    {
        using var response = await TokenAsync(issuer, preAuthorizedCode, txCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        return body["access_token"]!.GetValue<string>();
    }

    public async Task<string> NonceAsync(string issuer)
    {
        using var response = await http.PostAsync(new Uri($"{issuer}/nonce"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["c_nonce"]!.GetValue<string>();
    }

    public string Proof(string audience, string? nonce, Action<JsonObject, JsonObject>? tamper = null, ECDsa? signWith = null)
    {
        var header = new JsonObject { ["typ"] = "openid4vci-proof+jwt", ["alg"] = "ES256", ["jwk"] = PublicKey.ToJson() };
        var payload = new JsonObject { ["aud"] = audience, ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
        if (nonce is not null)
            payload["nonce"] = nonce;
        tamper?.Invoke(header, payload);
        return Sign(header, payload, signWith ?? Key);
    }

    public static string Sign(JsonObject header, JsonObject payload, ECDsa key)
    {
        var input = B64(header.ToJsonString()) + "." + B64(payload.ToJsonString());
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + Base64UrlStrict.Encode(signature);
    }

    private static string B64(string json) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(json));

    public Task<HttpResponseMessage> CredentialAsync(string issuer, string? accessToken, JsonObject request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/credential"))
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (accessToken is not null)
            message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(message);
    }

    public Task<HttpResponseMessage> NotifyAsync(string issuer, string accessToken, JsonObject request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/notification"))
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        return http.SendAsync(message);
    }

    public static JsonObject Request(string configurationId, string proofJwt) => new()
    {
        ["credential_configuration_id"] = configurationId,
        ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proofJwt) },
    };

    public static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["error"]!.GetValue<string>();
    }

    public void Dispose() => Key.Dispose();
}
