using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Credentials.StatusList;

namespace Passport.Load;

/// <summary>
/// The home organisation's issuer on loopback: its JWT VC Issuer Metadata at
/// <c>/.well-known/jwt-vc-issuer/issuers/{ODS}</c> and one status list token, each request counted so the report shows
/// that the Verifier fetched them once and then served them from its caches.
/// </summary>
internal sealed class StubIssuer : IAsyncDisposable
{
    /// <summary>The status list's <c>ttl</c>: longer than the run, so the list is fetched once and read from the cache after.</summary>
    public static readonly TimeSpan StatusListTtl = TimeSpan.FromMinutes(10);

    private readonly WebApplication _app;
    private readonly StatusList _list;
    private int _metadataHits;
    private int _statusListHits;
    private int _next;

    private StubIssuer(WebApplication app, Uri baseUrl, string ods, int listSize)
    {
        _app = app;
        _list = new StatusList(listSize, 2);
        Ods = ods;
        IssuerId = new Uri(baseUrl, $"issuers/{ods}").ToString();
        VctBase = new Uri(baseUrl, "vct/").ToString();
        StatusListUri = new Uri(baseUrl, $"status/{ods}/1").ToString();
    }

    public string Ods { get; }
    public string IssuerId { get; }
    public string VctBase { get; }
    public string StatusListUri { get; }
    public EcdsaJwsSigner Signer { get; } = EcdsaJwsSigner.Generate("load-issuer-key-1");
    public int MetadataHits => Volatile.Read(ref _metadataHits);
    public int StatusListHits => Volatile.Read(ref _statusListHits);

    public static async Task<StubIssuer> StartAsync(Uri baseUrl, string ods, int listSize, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(baseUrl.GetLeftPart(UriPartial.Authority));
        var app = builder.Build();
        var issuer = new StubIssuer(app, baseUrl, ods, listSize);
        app.MapGet($"/.well-known/jwt-vc-issuer/issuers/{ods}", () =>
        {
            Interlocked.Increment(ref issuer._metadataHits);
            var metadata = new JsonObject { ["issuer"] = issuer.IssuerId, ["jwks"] = new JsonWebKeySet([issuer.Signer.PublicJwk]).ToJson() };
            return Results.Text(metadata.ToJsonString(), "application/json");
        });
        app.MapGet($"/status/{ods}/1", async (CancellationToken cancellationToken) =>
        {
            Interlocked.Increment(ref issuer._statusListHits);
            var now = time.GetUtcNow();
            var token = await StatusListToken.CreateAsync(new StatusListTokenClaims
            {
                Subject = issuer.StatusListUri, List = issuer._list, IssuedAt = now, ExpiresAt = now.AddHours(1), TimeToLive = StatusListTtl,
            }, issuer.Signer, issuer.Signer.Reference, cancellationToken);
            return Results.Text(token, "application/statuslist+jwt");
        });
        await app.StartAsync();
        return issuer;
    }

    /// <summary>An SD-JWT VC of <paramref name="type"/> about <paramref name="subject"/>, every claim selectively disclosable, bound to the holder.</summary>
    public async Task<HeldCredential> IssueAsync(string type, string subject, JsonObject claims, EcdsaJwsSigner holder, TimeProvider time)
    {
        var frame = new DisclosureFrame();
        foreach (var name in claims.Select(c => c.Key))
            frame.Claims.Add(name);
        var now = time.GetUtcNow();
        var issued = await SdJwtVcIssuer.IssueAsync(new SdJwtVcRequest
        {
            Issuer = IssuerId, Vct = VctBase + type, Subject = subject, Claims = claims, Frame = frame,
            IssuedAt = now.AddDays(-1), ExpiresAt = now.AddYears(1), HolderKey = holder.PublicJwk,
            Status = new StatusReference(Interlocked.Increment(ref _next) - 1, StatusListUri),
        }, Signer, Signer.Reference, CancellationToken.None);
        return HeldCredential.TryParse(issued.Serialized, out var held, out var error)
            ? held
            : throw new InvalidOperationException($"The credential core could not read its own credential: {error}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
