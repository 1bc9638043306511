using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Hardening;

/// <summary>The Issuer with small limits, behind a trusted proxy at 10.9.8.7.</summary>
public sealed class RateLimitedIssuerApp : IAsyncLifetime
{
    public IssuerApp App { get; } = new();

    public async Task InitializeAsync()
    {
        App.Settings["RateLimits:AnonymousRequests"] = "8";
        App.Settings["RateLimits:AnonymousWrites"] = "4";
        App.Settings["RateLimits:Window"] = "00:10:00";
        App.Settings["RateLimits:TrustedProxies:0"] = "10.9.8.7";
        App.ConfigureServicesForTest = s => s.AddSingleton<IStartupFilter>(new PeerFromTestHeader());
        await App.InitializeAsync();
    }

    public Task DisposeAsync() => App.DestroyAsync();
}

/// <summary>Sets the connection's remote address from a test header, as Kestrel would for a peer there (the test server leaves it empty).</summary>
internal sealed class PeerFromTestHeader : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer))
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            return nextMiddleware(context);
        });
        next(app);
    };
}

public sealed class RateLimitTests(RateLimitedIssuerApp fixture) : IClassFixture<RateLimitedIssuerApp>
{
    private IssuerApp App => fixture.App;

    /// <summary>A request that reached us through the trusted proxy on behalf of <paramref name="client"/>, or directly from <paramref name="peer"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string client, string peer = "10.9.8.7")
    {
        using var http = App.Anonymous();
        using var request = new HttpRequestMessage(method, Url(path));
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Add(PeerFromTestHeader.Header, peer);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task Over_the_limit_an_anonymous_caller_gets_429_with_retry_after_and_other_addresses_are_not_held_up()
    {
        var ods = await NewOrganisationAsync(App);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
            statuses.Add((await SendAsync(HttpMethod.Post, $"/issuers/{ods}/nonce", "203.0.113.5")).StatusCode);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        using var limited = await SendAsync(HttpMethod.Post, $"/issuers/{ods}/nonce", "203.0.113.5");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal("rate_limited", (string?)(await limited.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 and <= 600 }, limited.Headers.RetryAfter?.ToString());

        using var someoneElse = await SendAsync(HttpMethod.Post, $"/issuers/{ods}/nonce", "203.0.113.6");
        Assert.Equal(HttpStatusCode.OK, someoneElse.StatusCode);
    }

    [Fact]
    public async Task A_forwarded_address_from_an_untrusted_peer_is_ignored()
    {
        var ods = await NewOrganisationAsync(App);
        // Each request claims a new client address, but comes straight from 198.51.100.9: it is that peer that is limited.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await SendAsync(HttpMethod.Post, $"/issuers/{ods}/nonce", $"203.0.113.{100 + i}", peer: "198.51.100.9")).StatusCode);

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Signed_in_calls_are_not_limited_by_the_anonymous_limits()
    {
        var ods = await NewOrganisationAsync(App);
        using var hr = App.ClientFor(ods, PassportRoles.HrIssuer);
        for (var i = 0; i < 12; i++)
            Assert.Equal(HttpStatusCode.OK, (await hr.GetAsync(Url("/api/organisation"))).StatusCode);
    }

    [Fact]
    public async Task A_nonce_for_an_organisation_that_is_not_registered_is_404_and_writes_no_row()
    {
        var before = await App.WithDbAsync(db => db.Nonces.CountAsync());

        using var response = await SendAsync(HttpMethod.Post, $"/issuers/{Seed.NewOds()}/nonce", "203.0.113.77");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("issuer_not_found", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]);
        Assert.Equal(before, await App.WithDbAsync(db => db.Nonces.CountAsync()));
    }
}
