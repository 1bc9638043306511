using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials;
using Passport.Credentials.Jose;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Trust;

public sealed class IssuerKeysTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private TestIssuerServer _server = null!;

    public async Task InitializeAsync() => _server = await TestIssuerServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ITrustedIssuers Trust(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { [$"{TrustOptions.Section}:IssuerBaseUrl"] = _server.BaseAddress.ToString() };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
            all[k] = v;
        return TrustHost.Create(_time, all).GetRequiredService<ITrustedIssuers>();
    }

    private static string Ods() => "T" + Random.Shared.Next(10_000, 99_999);

    [Fact]
    public void The_metadata_url_puts_the_well_known_segment_between_host_and_issuer_path()
    {
        Assert.Equal("https://issuer.example/.well-known/jwt-vc-issuer/issuers/RHQ", IssuerKeys.MetadataUrlFor("https://issuer.example/issuers/RHQ")?.ToString());
        Assert.Equal("https://issuer.example/.well-known/jwt-vc-issuer/tenant", IssuerKeys.MetadataUrlFor("https://issuer.example/tenant/")?.ToString());
        Assert.Equal("https://issuer.example:8443/.well-known/jwt-vc-issuer", IssuerKeys.MetadataUrlFor("https://issuer.example:8443")?.ToString());
        Assert.Null(IssuerKeys.MetadataUrlFor("https://issuer.example/x?y=1"));
        Assert.Null(IssuerKeys.MetadataUrlFor("did:web:issuer.example"));
    }

    [Fact]
    public void The_issuer_of_a_party_is_derived_from_its_ODS_code_unless_configured()
    {
        var trust = Trust(new Dictionary<string, string?> { [$"{TrustOptions.Section}:Issuers:ABC"] = "https://care.example/issuer" });

        Assert.Equal(_server.Url("issuers/RHQ").ToString(), trust.IssuerIdFor("RHQ"));
        Assert.Equal("https://care.example/issuer", trust.IssuerIdFor("ABC"));
    }

    [Fact]
    public async Task A_partys_key_is_found_through_its_issuer_metadata()
    {
        var ods = Ods();
        var signer = EcdsaJwsSigner.Generate("k1");
        var issuer = _server.ServeIssuer(ods, () => [signer]);

        var result = await Trust().ForParties([ods]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Null(result.Error);
        Assert.True(result.Key!.SameKeyAs(signer.PublicJwk));
    }

    [Fact]
    public async Task An_issuer_that_is_not_a_party_is_untrusted_and_never_fetched()
    {
        var party = Ods();
        var outsider = Ods();
        var issuer = _server.ServeIssuer(outsider, () => [EcdsaJwsSigner.Generate("k1")]);

        var result = await Trust().ForParties([party]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Equal(ErrorCodes.UntrustedIssuer, result.Error?.Code);
        Assert.Equal(0, _server.Hits($"/.well-known/jwt-vc-issuer/issuers/{outsider}"));
    }

    [Fact]
    public async Task Metadata_naming_a_different_issuer_is_refused()
    {
        var ods = Ods();
        var issuer = _server.ServeIssuer(ods, () => [EcdsaJwsSigner.Generate("k1")], claimedIssuer: "https://elsewhere.example/issuers/" + ods);

        var result = await Trust().ForParties([ods]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Equal(TrustErrorCodes.IssuerMetadataMismatch, result.Error?.Code);
        Assert.Null(result.Key);
    }

    [Fact]
    public async Task Keys_are_cached_per_issuer()
    {
        var ods = Ods();
        var issuer = _server.ServeIssuer(ods, () => [EcdsaJwsSigner.Generate("k1")]);
        var resolver = Trust().ForParties([ods]);

        await resolver.ResolveAsync(issuer, "k1", CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        var again = await resolver.ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Null(again.Error);
        Assert.Equal(1, _server.Hits($"/.well-known/jwt-vc-issuer/issuers/{ods}"));
    }

    [Fact]
    public async Task A_rotated_key_is_picked_up_on_an_unknown_kid_at_most_once_per_refresh_interval()
    {
        var ods = Ods();
        var path = $"/.well-known/jwt-vc-issuer/issuers/{ods}";
        var published = new List<EcdsaJwsSigner> { EcdsaJwsSigner.Generate("old") };
        var issuer = _server.ServeIssuer(ods, () => published);
        var resolver = Trust().ForParties([ods]);
        Assert.Null((await resolver.ResolveAsync(issuer, "old", CancellationToken.None)).Error);

        var rotated = EcdsaJwsSigner.Generate("new");
        published.Add(rotated);
        var tooSoon = await resolver.ResolveAsync(issuer, "new", CancellationToken.None);
        Assert.Equal(ErrorCodes.UnknownKeyId, tooSoon.Error?.Code);
        Assert.Equal(1, _server.Hits(path));

        _time.Advance(TimeSpan.FromSeconds(31));
        var found = await resolver.ResolveAsync(issuer, "new", CancellationToken.None);
        Assert.Null(found.Error);
        Assert.True(found.Key!.SameKeyAs(rotated.PublicJwk));
        Assert.Equal(2, _server.Hits(path));

        var madeUp = await resolver.ResolveAsync(issuer, "made-up", CancellationToken.None);
        Assert.Equal(ErrorCodes.UnknownKeyId, madeUp.Error?.Code);
        Assert.Equal(2, _server.Hits(path));
    }

    [Fact]
    public async Task Keys_can_come_from_a_jwks_uri_fetched_with_the_same_bounds()
    {
        var ods = Ods();
        var signer = EcdsaJwsSigner.Generate("k1");
        var issuer = _server.Url($"issuers/{ods}").ToString();
        _server.MapJson($"/.well-known/jwt-vc-issuer/issuers/{ods}", () => new JsonObject { ["issuer"] = issuer, ["jwks_uri"] = _server.Url($"jwks/{ods}").ToString() });
        _server.MapJson($"/jwks/{ods}", () => new JsonWebKeySet([signer.PublicJwk]).ToJson());

        var result = await Trust().ForParties([ods]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(1, _server.Hits($"/jwks/{ods}"));
    }

    [Fact]
    public async Task Metadata_with_both_jwks_and_jwks_uri_is_refused()
    {
        var ods = Ods();
        var issuer = _server.Url($"issuers/{ods}").ToString();
        _server.MapJson($"/.well-known/jwt-vc-issuer/issuers/{ods}", () => new JsonObject
        {
            ["issuer"] = issuer,
            ["jwks"] = new JsonWebKeySet([EcdsaJwsSigner.Generate("k1").PublicJwk]).ToJson(),
            ["jwks_uri"] = _server.Url($"jwks/{ods}").ToString(),
        });

        var result = await Trust().ForParties([ods]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Equal(TrustErrorCodes.InvalidIssuerMetadata, result.Error?.Code);
    }

    [Fact]
    public async Task An_unreachable_issuer_fails_closed()
    {
        var ods = Ods();
        var issuer = _server.Url($"issuers/{ods}").ToString();

        var result = await Trust().ForParties([ods]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Equal(TrustErrorCodes.IssuerMetadataUnavailable, result.Error?.Code);
        Assert.Null(result.Key);
    }

    [Fact]
    public async Task An_issuer_on_a_private_address_is_unavailable_when_private_networks_are_not_allowed()
    {
        var ods = Ods();
        var issuer = _server.ServeIssuer(ods, () => [EcdsaJwsSigner.Generate("k1")]);
        var trust = Trust(new Dictionary<string, string?> { [$"{TrustOptions.Section}:AllowPrivateNetworks"] = "false" });

        var result = await trust.ForParties([ods]).ResolveAsync(issuer, "k1", CancellationToken.None);

        Assert.Equal(TrustErrorCodes.IssuerMetadataUnavailable, result.Error?.Code);
        Assert.Equal(0, _server.Hits($"/.well-known/jwt-vc-issuer/issuers/{ods}"));
        // What a wallet may read: never the resolved address, nor how the fetch went wrong.
        Assert.Equal($"The issuer metadata of '{issuer}' could not be fetched.", result.Error!.Message);
    }
}
