using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Passport.Credentials.Jose;
using Passport.Credentials.StatusList;

namespace Passport.Verifier.Tests.Trust;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 standing in for an issuer: it serves whatever handlers the test maps per path and
/// counts the requests it receives. Only reachable when the Verifier's trust options allow http and loopback.
/// </summary>
public sealed class TestIssuerServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<TestIssuerServer> StartAsync()
    {
        var server = new TestIssuerServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            server._hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (server._routes.TryGetValue(path, out var handler))
                await handler(context);
            else
                context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        server._app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public void Map(string path, Func<HttpContext, Task> handler) => _routes[path] = handler;

    public void MapJson(string path, Func<JsonNode> body) =>
        Map(path, context => Results.Text(body().ToJsonString(), "application/json").ExecuteAsync(context));

    public int Hits(string path) => _hits.TryGetValue(path, out var n) ? n : 0;

    public Uri Url(string path) => new(BaseAddress, path.TrimStart('/'));

    /// <summary>Publishes JWT VC issuer metadata for <c>{base}issuers/{ods}</c> with the keys of the signers the test holds now.</summary>
    public string ServeIssuer(string ods, Func<IEnumerable<EcdsaJwsSigner>> signers, string? claimedIssuer = null)
    {
        var issuer = Url($"issuers/{ods}").ToString();
        MapJson($"/.well-known/jwt-vc-issuer/issuers/{ods}", () => new JsonObject
        {
            ["issuer"] = claimedIssuer ?? issuer,
            ["jwks"] = new JsonWebKeySet([.. signers().Select(s => s.PublicJwk)]).ToJson(),
        });
        return issuer;
    }

    /// <summary>Serves a freshly signed status list token at <paramref name="path"/>; <paramref name="list"/> is read at each request.</summary>
    public string ServeStatusList(string path, StatusList list, EcdsaJwsSigner signer, TimeProvider time, TimeSpan? ttl, string? subject = null,
        TimeSpan? lifetime = null)
    {
        var uri = Url(path).ToString();
        Map(path, async context =>
        {
            var now = time.GetUtcNow();
            var token = await StatusListToken.CreateAsync(new StatusListTokenClaims
            {
                Subject = subject ?? uri,
                List = list,
                IssuedAt = now,
                ExpiresAt = now + (lifetime ?? TimeSpan.FromHours(1)),
                TimeToLive = ttl,
            }, signer, signer.Reference, context.RequestAborted);
            await Results.Text(token, "application/statuslist+jwt").ExecuteAsync(context);
        });
        return uri;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
