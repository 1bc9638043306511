using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Passport.Credentials.Jose;

namespace Passport.Issuer.Keys;

/// <summary>A Key Vault key version: its identifier URL (with version) and its public half.</summary>
internal sealed record KeyVaultKey(string KeyId, EcPublicJwk PublicKey);

internal enum KeyVaultFailure
{
    /// <summary>401/403, or no token could be obtained: our identity is not allowed to use the vault.</summary>
    Refused,

    /// <summary>429 for longer than we are prepared to wait.</summary>
    Throttled,

    /// <summary>5xx or network failures that outlasted the retries.</summary>
    Unavailable,

    /// <summary>An answer that breaks the documented contract, or a 4xx that means our configuration is wrong.</summary>
    Unexpected,
}

/// <summary>Key Vault could not sign or create a key. Its message names no secret; callers answer 503.</summary>
internal sealed class KeyVaultException(KeyVaultFailure failure, string message) : Exception(message)
{
    public KeyVaultFailure Failure { get; } = failure;
}

/// <summary>
/// Key Vault's keys REST API (api-version 7.4) over an Azure.Core pipeline with bearer tokens for the vault scope.
/// Azure.Core's own retries are off: 429 waits exactly as Key Vault's Retry-After says, 5xx backs off, both bounded,
/// and the waits run on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class KeyVaultRestClient
{
    public const string Scope = "https://vault.azure.net/.default";
    private const string ApiVersion = "7.4";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _vault;
    private readonly KeyOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, EcPublicJwk> _publicKeys = new(StringComparer.Ordinal);

    public KeyVaultRestClient(IOptions<KeyOptions> options, TokenCredential credential, TimeProvider time, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _vault = _options.VaultUri ?? throw new InvalidOperationException($"{KeyOptions.Section}:VaultUri is not set.");
        if (!_vault.AbsoluteUri.EndsWith('/'))
            _vault = new Uri(_vault.AbsoluteUri + "/");
        _time = time;
        var pipelineOptions = new PipelineOptions();
        pipelineOptions.Retry.MaxRetries = 0;
        pipelineOptions.Retry.NetworkTimeout = _options.NetworkTimeout;
        if (transport is not null)
            pipelineOptions.Transport = transport;
        _pipeline = HttpPipelineBuilder.Build(pipelineOptions, new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    /// <summary>Creates a P-256 key, or a new version of it when the name exists.</summary>
    public async Task<KeyVaultKey> CreateEcKeyAsync(string name, CancellationToken cancellationToken)
    {
        if (!KeyNamePattern().IsMatch(name))
            throw new ArgumentException("A Key Vault key name holds 1 to 127 letters, digits and '-'.", nameof(name));
        var body = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["key_ops"] = new JsonArray("sign", "verify") };
        var response = await SendAsync(RequestMethod.Post, new Uri(_vault, $"keys/{name}/create"), body, "create key", cancellationToken);
        var key = ReadKeyBundle(response);
        _publicKeys[key.KeyId] = key.PublicKey;
        return key;
    }

    /// <summary>The public key of a key version; fetched once, then cached.</summary>
    public async Task<EcPublicJwk> GetPublicKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (_publicKeys.TryGetValue(keyId, out var cached))
            return cached;
        var response = await SendAsync(RequestMethod.Get, KeyVersionUri(keyId, ""), null, "get key", cancellationToken);
        var key = ReadKeyBundle(response);
        if (!string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            throw new KeyVaultException(KeyVaultFailure.Unexpected, "Key Vault answered 'get key' with a different key version than was asked for.");
        return _publicKeys.GetOrAdd(keyId, key.PublicKey);
    }

    /// <summary>An ES256 signature (raw R||S, 64 bytes) over a SHA-256 digest.</summary>
    public async Task<byte[]> SignEs256Async(string keyId, ReadOnlyMemory<byte> digest, CancellationToken cancellationToken)
    {
        if (digest.Length != 32)
            throw new ArgumentException("ES256 signs a 32-byte SHA-256 digest.", nameof(digest));
        var body = new JsonObject { ["alg"] = "ES256", ["value"] = Base64UrlStrict.Encode(digest.Span) };
        var response = await SendAsync(RequestMethod.Post, KeyVersionUri(keyId, "/sign"), body, "sign", cancellationToken);
        var node = Parse(response, "sign");
        if (Str(node, "kid") is not { } kid || !string.Equals(kid, keyId, StringComparison.Ordinal))
            throw new KeyVaultException(KeyVaultFailure.Unexpected, "Key Vault answered 'sign' for a different key version than was asked for.");
        if (Str(node, "value") is not { } value || !Base64UrlStrict.TryDecode(value, out var signature) || signature.Length != 64)
            throw new KeyVaultException(KeyVaultFailure.Unexpected, "Key Vault answered 'sign' without a 64-byte ES256 signature.");
        return signature;
    }

    // The bearer token goes only to our own vault: a key identifier naming another host is refused, not followed.
    private Uri KeyVersionUri(string keyId, string suffix)
    {
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var uri)
            || !string.Equals(uri.GetLeftPart(UriPartial.Authority), _vault.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || !KeyIdPathPattern().IsMatch(uri.AbsolutePath)
            || !string.IsNullOrEmpty(uri.Query))
        {
            throw new ArgumentException("The key identifier is not a key version in the configured vault.", nameof(keyId));
        }
        return new Uri(_vault, uri.AbsolutePath.TrimStart('/') + suffix);
    }

    private async Task<BinaryData> SendAsync(RequestMethod method, Uri uri, JsonObject? body, string operation, CancellationToken cancellationToken)
    {
        var target = new UriBuilder(uri) { Query = $"api-version={ApiVersion}" }.Uri;
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan wait;
            KeyVaultException giveUp;
            using (var message = _pipeline.CreateMessage())
            {
                message.Request.Method = method;
                message.Request.Uri.Reset(target);
                message.Request.Headers.Add("Accept", "application/json");
                if (body is not null)
                {
                    message.Request.Headers.Add("Content-Type", "application/json");
                    message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(body));
                }
                int status;
                try
                {
                    await _pipeline.SendAsync(message, cancellationToken);
                    status = message.Response.Status;
                }
                catch (AuthenticationFailedException)
                {
                    throw new KeyVaultException(KeyVaultFailure.Refused, $"Key Vault refused our credentials: no access token could be obtained for '{operation}'.");
                }
                catch (Exception ex) when (ex is RequestFailedException { Status: 0 } or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    status = 0;
                }

                if (status is >= 200 and < 300)
                    return message.Response.Content;
                if (status is 401 or 403)
                    throw new KeyVaultException(KeyVaultFailure.Refused, $"Key Vault refused our credentials ({status}) for '{operation}': check the identity's access to the vault's keys.");
                if (status == 429)
                {
                    wait = RetryAfter(message.Response) ?? Backoff(attempt);
                    giveUp = new KeyVaultException(KeyVaultFailure.Throttled, $"Key Vault is throttling '{operation}' longer than we wait.");
                    if (wait > _options.MaxRetryAfter)
                        throw giveUp;
                }
                else if (status is 0 or >= 500)
                {
                    wait = Backoff(attempt);
                    giveUp = new KeyVaultException(KeyVaultFailure.Unavailable, $"Key Vault did not complete '{operation}' after {attempt} attempts (last answer: {(status == 0 ? "no response" : status.ToString(CultureInfo.InvariantCulture))}).");
                }
                else
                {
                    throw new KeyVaultException(KeyVaultFailure.Unexpected, $"Key Vault answered {status} ({ErrorCode(message.Response)}) to '{operation}'.");
                }
            }
            if (attempt >= _options.MaxAttempts)
                throw giveUp;
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private TimeSpan Backoff(int attempt) => _options.ServerErrorBackoff * Math.Pow(2, attempt - 1);

    private TimeSpan? RetryAfter(Response response)
    {
        if (!response.Headers.TryGetValue("Retry-After", out var value) || string.IsNullOrWhiteSpace(value))
            return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at > _time.GetUtcNow() ? at - _time.GetUtcNow() : TimeSpan.Zero;
        return null;
    }

    // Only Key Vault's error code (for example KeyNotFound): its message may echo request details.
    private static string ErrorCode(Response response)
    {
        try
        {
            return JsonNode.Parse(response.Content.ToMemory().Span) is JsonObject o && o["error"] is JsonObject e && Str(e, "code") is { } code
                && code.Length <= 100 ? code : "no error code";
        }
        catch (JsonException)
        {
            return "no error code";
        }
    }

    private static KeyVaultKey ReadKeyBundle(BinaryData response)
    {
        var bundle = Parse(response, "key");
        if (bundle["key"] is not JsonObject key || Str(key, "kid") is not { } kid)
            throw new KeyVaultException(KeyVaultFailure.Unexpected, "Key Vault answered without a key identifier.");
        // Key Vault says EC-HSM for HSM-backed keys; the public JWK is EC either way.
        var kty = Str(key, "kty");
        var publicJwk = new JsonObject { ["kty"] = kty is "EC" or "EC-HSM" ? "EC" : kty, ["crv"] = Str(key, "crv"), ["x"] = Str(key, "x"), ["y"] = Str(key, "y") };
        if (!EcPublicJwk.TryParse(publicJwk, out var jwk, out _))
            throw new KeyVaultException(KeyVaultFailure.Unexpected, "Key Vault answered with a key that is not a P-256 public key.");
        return new KeyVaultKey(kid, jwk);
    }

    private static JsonObject Parse(BinaryData response, string what)
    {
        try
        {
            return JsonNode.Parse(response.ToMemory().Span) as JsonObject
                ?? throw new KeyVaultException(KeyVaultFailure.Unexpected, $"Key Vault's '{what}' answer is not a JSON object.");
        }
        catch (JsonException)
        {
            throw new KeyVaultException(KeyVaultFailure.Unexpected, $"Key Vault's '{what}' answer is not JSON.");
        }
    }

    private static string? Str(JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex KeyNamePattern();

    [GeneratedRegex("^/keys/[0-9A-Za-z-]{1,127}/[0-9A-Za-z]{1,64}$")]
    private static partial Regex KeyIdPathPattern();

    private sealed class PipelineOptions : ClientOptions;
}
