using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Passport.Credentials.Jose;

namespace Passport.Cli.Wallet;

/// <summary>
/// The wallet's outbound calls to issuers and verifiers: https only (plain http only to this machine, for the embedded
/// host), bounded in size and time, and every failure a sentence.
/// </summary>
internal sealed class WalletHttp(HttpClient http)
{
    public const int MaxResponseBytes = 8 * 1024 * 1024;

    public static HttpClient CreateClient() => new() { Timeout = TimeSpan.FromSeconds(30), MaxResponseContentBufferSize = MaxResponseBytes };

    public static Uri CheckUrl(string url, string what)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new CommandFailedException($"{what} is not an http(s) URL: {url}");
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            throw new CommandFailedException($"{what} uses plain http on another machine ({uri.Host}); the wallet only talks https, except to this machine.");
        return uri;
    }

    public async Task<string> GetStringAsync(string url, string what, string? accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, CheckUrl(url, what));
        if (accept is not null)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await SendAsync(request, what, cancellationToken, HttpStatusCode.OK);
    }

    public async Task<JsonObject> GetJsonAsync(string url, string what, CancellationToken cancellationToken) =>
        ParseObject(await GetStringAsync(url, what, "application/json", cancellationToken), what);

    public async Task<string> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken, params HttpStatusCode[] expected)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!expected.Contains(response.StatusCode))
                throw new CommandFailedException($"{what}: {request.RequestUri} answered {(int)response.StatusCode}{ServiceClient.Problem(body)}", response.StatusCode);
            return body;
        }
        catch (HttpRequestException e)
        {
            throw new CommandFailedException($"{what}: could not reach {request.RequestUri?.Authority} ({e.Message}).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandFailedException($"{what}: {request.RequestUri?.Authority} did not answer in time.");
        }
    }

    public static JsonObject ParseObject(string text, string what)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new CommandFailedException($"{what}: the answer is not a JSON object.");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new CommandFailedException($"{what}: the answer is not JSON.");
        }
    }

    /// <summary>
    /// The well-known URL for an identifier with a path: the well-known segment goes between the host and the path
    /// (RFC 8414 §3.1; OpenID4VCI 1.0 §12.2.2; SD-JWT VC §5).
    /// </summary>
    public static string WellKnown(string identifier, string name)
    {
        var uri = CheckUrl(identifier, "The issuer identifier");
        var path = uri.AbsolutePath.TrimEnd('/');
        return $"{uri.GetLeftPart(UriPartial.Authority)}/.well-known/{name}{path}";
    }

    /// <summary>The issuer's published keys (JWT VC Issuer Metadata), checked to be this issuer's.</summary>
    public async Task<JsonWebKeySet> IssuerKeysAsync(string issuer, CancellationToken cancellationToken)
    {
        var what = $"The signing keys of {issuer}";
        var metadata = await GetJsonAsync(WellKnown(issuer, "jwt-vc-issuer"), what, cancellationToken);
        if (metadata["issuer"]?.GetValue<string>() != issuer)
            throw new CommandFailedException($"{what}: the metadata names another issuer ({metadata["issuer"]}).");
        if (metadata["jwks"] is not JsonObject jwks || !JsonWebKeySet.TryParse(System.Text.Encoding.UTF8.GetBytes(jwks.ToJsonString()), out var set))
            throw new CommandFailedException($"{what}: the metadata has no readable jwks.");
        return set;
    }
}
