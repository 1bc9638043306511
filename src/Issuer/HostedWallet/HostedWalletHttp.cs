using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

/// <summary>A refusal on the way to or from the receiving organisation: a stable code and a sentence, never the remote's text.</summary>
internal sealed class HostedWalletException(string code, string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
}

/// <summary>The hosted wallet's outbound calls: size-, time- and address-bounded, no redirects, no proxy, no cookies.</summary>
internal sealed class HostedWalletHttp(IHttpClientFactory factory, IOptions<HostedWalletOptions> options, IHostEnvironment environment)
{
    public const string ClientName = "hosted-wallet";

    private bool Relaxed => !environment.IsProduction();

    public Uri Check(Uri url, string what)
    {
        ArgumentNullException.ThrowIfNull(url);
        var httpAllowed = Relaxed && options.Value.AllowHttp;
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (httpAllowed && url.Scheme == Uri.UriSchemeHttp))
            || !string.IsNullOrEmpty(url.UserInfo) || url.OriginalString.Length > 2000)
            throw new HostedWalletException("invalid_request_link", $"{what} must be an https address of the organisation asking.");
        return url;
    }

    public async Task<string> GetRequestObjectAsync(Uri requestUri, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Check(requestUri, "The request link"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/oauth-authz-req+jwt"));
        using var response = await SendAsync(request, "fetching the request", cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HostedWalletException("request_unavailable", "The organisation asking did not give its request; it may have expired or been answered. Ask them for a new link.", StatusCodes.Status502BadGateway);
        var max = options.Value.MaxRequestObjectBytes;
        if (response.Content.Headers.ContentLength > max)
            throw new HostedWalletException("request_too_large", "The request is larger than a presentation request can be.", StatusCodes.Status502BadGateway);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[max + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            read += n;
        if (read > max)
            throw new HostedWalletException("request_too_large", "The request is larger than a presentation request can be.", StatusCodes.Status502BadGateway);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Posts the direct_post answer; returns the receiving organisation's refusal code when it refused (a 4xx).</summary>
    public async Task PostResponseAsync(Uri responseUri, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Check(responseUri, "The response address")) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await SendAsync(request, "sending the presentation", cancellationToken);
        if (response.IsSuccessStatusCode)
            return;
        var code = await RemoteCodeAsync(response, cancellationToken);
        throw new HostedWalletException("presentation_refused",
            $"The organisation asking refused the presentation ({code ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}); nothing was shared.",
            StatusCodes.Status502BadGateway);
    }

    /// <summary>A JSON answer from an issuer the hosted wallet collects from; a refusal passes on only its short code.</summary>
    public async Task<System.Text.Json.Nodes.JsonObject> SendForJsonAsync(HttpRequestMessage request, string doing, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await SendAsync(request, doing, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var code = await RemoteCodeAsync(response, cancellationToken);
                throw new HostedWalletException("placement_refused",
                    $"The host refused while {doing} ({code ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}); nothing was kept.",
                    StatusCodes.Status502BadGateway);
            }
            if (response.StatusCode == HttpStatusCode.NoContent)
                return [];
            var max = options.Value.MaxRequestObjectBytes;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[max + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
                read += n;
            try
            {
                if (read <= max && System.Text.Json.Nodes.JsonNode.Parse(buffer.AsSpan(0, read)) is System.Text.Json.Nodes.JsonObject body)
                    return body;
            }
            catch (System.Text.Json.JsonException)
            {
            }
            throw new HostedWalletException("placement_offer_unreadable", $"The host's answer while {doing} is not one the hosted wallet can use.", StatusCodes.Status502BadGateway);
        }
    }

    // Only a short snake_case code is passed on, never the remote's words.
    private static async Task<string?> RemoteCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length > 16 * 1024 || System.Text.Json.Nodes.JsonNode.Parse(text) is not System.Text.Json.Nodes.JsonObject body)
                return null;
            return body["code"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var code)
                && code.Length <= 64 && code.All(c => c is (>= 'a' and <= 'z') or '_' or (>= '0' and <= '9')) ? code : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string doing, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            return await factory.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new HostedWalletException("verifier_unreachable", $"The organisation asking could not be reached while {doing}; try again, or ask them for a new link.", StatusCodes.Status502BadGateway);
        }
    }

    internal static SocketsHttpHandler CreateHandler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxResponseHeadersLength = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = endpoint.Host;
        var addresses = await NetworkAddressPolicy.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        // Every address is judged: a name that also resolves somewhere private is refused whole.
        if (addresses.Length == 0 || (!allowPrivate && !addresses.All(NetworkAddressPolicy.IsPublic)))
            throw new HttpRequestException($"'{host}' is not a public address the hosted wallet may reach.");
        return await NetworkAddressPolicy.ConnectToFirstAsync(addresses, host, endpoint.Port, cancellationToken).ConfigureAwait(false);
    }
}
