using System.Net;
using System.Net.Sockets;
using Passport.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Passport.Verifier.Trust;

/// <summary>Why an outbound fetch gave nothing usable. Codes are stable.</summary>
internal sealed record FetchError(string Code, string Message)
{
    public const string SchemeNotAllowed = "fetch_scheme_not_allowed";
    public const string AddressNotAllowed = "fetch_address_not_allowed";
    public const string TooLarge = "fetch_too_large";
    public const string TimedOut = "fetch_timeout";
    public const string Failed = "fetch_failed";

    public override string ToString() => $"{Code}: {Message}";
}

internal readonly record struct FetchResult(byte[]? Body, FetchError? Error)
{
    public static FetchResult Fail(string code, string message) => new(null, new FetchError(code, message));
}

/// <summary>
/// GETs an issuer's document within the trust rules: https only (unless allowed), public addresses only (checked on the
/// resolved address at connect time, so DNS rebinding cannot slip past), no redirects, no proxy, a hard byte cap and a timeout.
/// </summary>
internal sealed partial class TrustFetcher(IHttpClientFactory clients, IOptions<TrustOptions> options, ILogger<TrustFetcher> log)
{
    public const string ClientName = "Passport.Verifier.Trust";

    public async Task<FetchResult> GetAsync(Uri uri, string accept, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var result = await FetchAsync(uri, accept, maxBytes, cancellationToken).ConfigureAwait(false);
        if (result.Error is { } error)
            LogFailed(log, Describe(uri), error.Code, error.Message);
        return result;
    }

    private async Task<FetchResult> FetchAsync(Uri uri, string accept, int maxBytes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!uri.IsAbsoluteUri || !(uri.Scheme == Uri.UriSchemeHttps || (settings.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
            return FetchResult.Fail(FetchError.SchemeNotAllowed, $"Only https URLs are fetched; '{Describe(uri)}' is not one.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            return FetchResult.Fail(FetchError.SchemeNotAllowed, $"URLs with credentials in them are not fetched ('{uri.Host}').");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
                return FetchResult.Fail(FetchError.Failed, $"{Describe(uri)} answered with a redirect ({status}); redirects are not followed.");
            if (!response.IsSuccessStatusCode)
                return FetchResult.Fail(FetchError.Failed, $"{Describe(uri)} answered {status}.");
            if (response.Content.Headers.ContentLength > maxBytes)
                return TooLarge(uri, maxBytes);
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var body = await ReadCappedAsync(stream, maxBytes, timeout.Token).ConfigureAwait(false);
                return body is null ? TooLarge(uri, maxBytes) : new FetchResult(body, null);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Fail(FetchError.TimedOut, $"{Describe(uri)} did not answer within {settings.Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException ex) when (Find<DestinationRefusedException>(ex) is { } refused)
        {
            // The resolved address is for the operator's log only: answers built on a FetchError can reach a wallet.
            LogRefused(log, refused.Message);
            return FetchResult.Fail(FetchError.AddressNotAllowed, $"'{uri.Host}' is not on a public network address; it was not fetched.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            return FetchResult.Fail(FetchError.Failed, $"{Describe(uri)} could not be reached.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching {Url} failed ({Code}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string url, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An outbound fetch was refused before connecting: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    private static FetchResult TooLarge(Uri uri, int maxBytes) =>
        FetchResult.Fail(FetchError.TooLarge, $"{Describe(uri)} sent more than {maxBytes} bytes; the response was cut off and refused.");

    private static async Task<byte[]?> ReadCappedAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(maxBytes + 1, 64 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                    return null;
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
            }
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return length > maxBytes ? null : buffer[..length];
            length += read;
        }
    }

    private static string Describe(Uri uri) => uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString;

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
                return found;
        }
        return null;
    }

    /// <summary>The handler behind <see cref="ClientName"/>.</summary>
    internal static SocketsHttpHandler CreateHandler(TrustOptions options) => new()
    {
        AllowAutoRedirect = false,
        // A proxy would be what we connect to, so the address check would judge the proxy instead of the issuer.
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = options.Timeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxResponseHeadersLength = 64,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, options.AllowPrivateNetworks, cancellationToken),
    };

    internal static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = endpoint.Host;
        var addresses = await NetworkAddressPolicy.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
            throw new HttpRequestException($"'{host}' has no addresses.");
        if (!allowPrivate)
        {
            // Every address is judged, not just the first: a name that also resolves somewhere private is refused whole.
            foreach (var address in addresses)
            {
                if (!NetworkAddressPolicy.IsPublic(address))
                    throw new DestinationRefusedException($"'{host}' resolves to {address}, which is not a public address; the Verifier does not fetch from private, loopback or link-local networks.");
            }
        }
        return await NetworkAddressPolicy.ConnectToFirstAsync(addresses, host, endpoint.Port, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>A connection was refused before it was made, because the address is not one the Verifier may reach.</summary>
internal sealed class DestinationRefusedException : Exception
{
    public DestinationRefusedException() { }

    public DestinationRefusedException(string message) : base(message) { }

    public DestinationRefusedException(string message, Exception innerException) : base(message, innerException) { }
}
