using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Passport.Credentials.Jose;

namespace Passport.Issuer.Tests.Keys;

/// <summary>
/// A local stand-in for Azure Key Vault's keys REST API (api-version 7.4): create key, get key and sign, with real P-256
/// keys so signatures verify against the returned JWK, served over TLS on 127.0.0.1 (Azure.Core sends bearer tokens
/// only over https). It can be told to answer the next requests with a status (429 with Retry-After, 5xx) or to refuse
/// every token (401).
/// </summary>
public sealed class KeyVaultStandIn : IAsyncDisposable
{
    public const string AcceptedToken = "stand-in-access-token-7d2c91f04b";

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _faults = new();
    private readonly ConcurrentQueue<string> _requests = new();

    private KeyVaultStandIn(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        _certificate = certificate;
    }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>Answer every request 401, as Key Vault does when the identity has no access.</summary>
    public bool RefuseAllTokens { get; set; }

    /// <summary>The operations received, in order ("create", "get", "sign"), including refused and faulted ones.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public int Count(string operation) => _requests.Count(r => r == operation);

    public void FailNext(int status, int times = 1, string? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
            _faults.Enqueue((status, retryAfter));
    }

    public static TokenCredential Credential(string token = AcceptedToken) => new StaticTokenCredential(token);

    /// <summary>An Azure.Core transport that trusts only this stand-in's self-signed certificate.</summary>
    public HttpPipelineTransport Transport()
    {
        var thumbprint = _certificate.GetCertHashString();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == thumbprint,
            },
        };
        return new HttpClientTransport(new HttpClient(handler));
    }

    public static async Task<KeyVaultStandIn> StartAsync()
    {
        var certificate = SelfSigned();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var standIn = new KeyVaultStandIn(app, certificate);
        standIn.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.VaultUri = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return standIn;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            _requests.Enqueue(path.EndsWith("/create", StringComparison.Ordinal) ? "create" : path.EndsWith("/sign", StringComparison.Ordinal) ? "sign" : "get");
            if (context.Request.Query["api-version"] != "7.4")
            {
                await Error(context, 400, "BadParameter", "The api-version is missing or not supported.");
                return;
            }
            if (RefuseAllTokens || context.Request.Headers.Authorization != $"Bearer {AcceptedToken}")
            {
                context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/tenant\", resource=\"https://vault.azure.net\"";
                await Error(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
                return;
            }
            if (_faults.TryDequeue(out var fault))
            {
                if (fault.RetryAfter is not null)
                    context.Response.Headers.RetryAfter = fault.RetryAfter;
                await Error(context, fault.Status, fault.Status == 429 ? "Throttled" : "InternalServerError", "Scripted fault.");
                return;
            }
            await next(context);
        });

        app.MapPost("/keys/{name}/create", async (string name, HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
            if (body?["kty"]?.GetValue<string>() != "EC" || body["crv"]?.GetValue<string>() != "P-256")
                return Results.Json(ErrorBody("BadParameter", "Only EC P-256 keys in this stand-in."), statusCode: 400);
            var version = Guid.NewGuid().ToString("N");
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            _keys[$"{name}/{version}"] = key;
            return Results.Json(Bundle(name, version, key));
        });
        app.MapGet("/keys/{name}/{version}", (string name, string version) =>
            _keys.TryGetValue($"{name}/{version}", out var key)
                ? Results.Json(Bundle(name, version, key))
                : Results.Json(ErrorBody("KeyNotFound", "A key with (name/id) was not found in this key vault."), statusCode: 404));
        app.MapPost("/keys/{name}/{version}/sign", async (string name, string version, HttpContext context) =>
        {
            if (!_keys.TryGetValue($"{name}/{version}", out var key))
                return Results.Json(ErrorBody("KeyNotFound", "A key with (name/id) was not found in this key vault."), statusCode: 404);
            var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
            if (body?["alg"]?.GetValue<string>() != "ES256" || !Base64UrlStrict.TryDecode(body["value"]?.GetValue<string>() ?? "", out var digest) || digest.Length != 32)
                return Results.Json(ErrorBody("BadParameter", "ES256 signs a 32-byte digest."), statusCode: 400);
            var signature = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return Results.Json(new JsonObject { ["kid"] = KeyId(name, version), ["value"] = Base64UrlStrict.Encode(signature) });
        });
    }

    private string KeyId(string name, string version) => new Uri(VaultUri, $"keys/{name}/{version}").ToString();

    private JsonObject Bundle(string name, string version, ECDsa key)
    {
        var jwk = EcPublicJwk.FromECDsa(key).ToJson(includeKid: false);
        jwk["kid"] = KeyId(name, version);
        jwk["key_ops"] = new JsonArray("sign", "verify");
        return new JsonObject
        {
            ["key"] = jwk,
            ["attributes"] = new JsonObject { ["enabled"] = true, ["recoveryLevel"] = "Recoverable+Purgeable" },
        };
    }

    private static JsonObject ErrorBody(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private static async Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(ErrorBody(code, message));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Re-imported so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
        foreach (var key in _keys.Values)
            key.Dispose();
    }

    /// <summary>A token credential that hands out a fixed token and records the scopes it was asked for.</summary>
    public sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public ConcurrentQueue<string> Scopes { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes)
                Scopes.Enqueue(scope);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
