using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Credentials.StatusList;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Trust;

public sealed class StatusListClientTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly EcdsaJwsSigner _signer = EcdsaJwsSigner.Generate("status-key");
    private readonly StatusList _list = new(1024, 2);
    private TestIssuerServer _server = null!;
    private string _issuer = null!;
    private string _ods = null!;

    public async Task InitializeAsync()
    {
        _server = await TestIssuerServer.StartAsync();
        _ods = "S" + Random.Shared.Next(10_000, 99_999);
        _issuer = _server.ServeIssuer(_ods, () => [_signer]);
        _list[5] = StatusType.Invalid;
        _list[6] = StatusType.Suspended;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private StatusListClient Client() => TrustHost.Create(_time).GetRequiredService<StatusListClient>();

    [Fact]
    public async Task Statuses_are_read_from_the_issuers_signed_list()
    {
        var uri = _server.ServeStatusList($"/status/{_ods}/1", _list, _signer, _time, TimeSpan.FromMinutes(1));
        var client = Client();

        Assert.Equal(StatusType.Valid, (await client.GetStatusAsync(_issuer, new StatusReference(4, uri), CancellationToken.None)).Status);
        Assert.Equal(StatusType.Invalid, (await client.GetStatusAsync(_issuer, new StatusReference(5, uri), CancellationToken.None)).Status);
        Assert.Equal(StatusType.Suspended, (await client.GetStatusAsync(_issuer, new StatusReference(6, uri), CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_list_is_fetched_once_within_its_ttl_and_again_after_it()
    {
        var path = $"/status/{_ods}/2";
        var uri = _server.ServeStatusList(path, _list, _signer, _time, TimeSpan.FromSeconds(60));
        var client = Client();

        await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(59));
        var cached = await client.GetStatusAsync(_issuer, new StatusReference(5, uri), CancellationToken.None);
        Assert.Equal(1, _server.Hits(path));
        Assert.Equal(StatusType.Invalid, cached.Status);

        _time.Advance(TimeSpan.FromSeconds(2));
        await client.GetStatusAsync(_issuer, new StatusReference(5, uri), CancellationToken.None);
        Assert.Equal(2, _server.Hits(path));
    }

    [Fact]
    public async Task A_long_ttl_is_clamped_to_the_configured_maximum()
    {
        var path = $"/status/{_ods}/6";
        var uri = _server.ServeStatusList(path, _list, _signer, _time, ttl: TimeSpan.FromHours(1));
        var client = TrustHost.Create(_time, new Dictionary<string, string?> { [$"{TrustOptions.Section}:StatusListMaxCacheDuration"] = "00:00:30" })
            .GetRequiredService<StatusListClient>();

        await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(29));
        await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);
        Assert.Equal(1, _server.Hits(path));

        _time.Advance(TimeSpan.FromSeconds(2));
        await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);
        Assert.Equal(2, _server.Hits(path));
    }

    [Fact]
    public async Task A_list_is_never_kept_past_its_expiry_even_with_a_longer_ttl()
    {
        var path = $"/status/{_ods}/3";
        var uri = _server.ServeStatusList(path, _list, _signer, _time, ttl: TimeSpan.FromHours(1), lifetime: TimeSpan.FromMinutes(2));
        var client = Client();

        await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);

        Assert.Equal(2, _server.Hits(path));
    }

    [Fact]
    public async Task Concurrent_lookups_of_one_list_share_a_single_fetch()
    {
        var path = $"/status/{_ods}/4";
        var uri = _server.ServeStatusList(path, _list, _signer, _time, TimeSpan.FromMinutes(1));
        var inner = _server;
        var slow = new TaskCompletionSource();
        var served = 0;
        var token = await StatusListToken.CreateAsync(new StatusListTokenClaims
        {
            Subject = uri, List = _list, IssuedAt = _time.GetUtcNow(), ExpiresAt = _time.GetUtcNow().AddHours(1), TimeToLive = TimeSpan.FromMinutes(1),
        }, _signer, _signer.Reference, CancellationToken.None);
        inner.Map(path, async context =>
        {
            Interlocked.Increment(ref served);
            await slow.Task;
            await context.Response.WriteAsync(token);
        });
        var client = Client();

        var lookups = Enumerable.Range(0, 10).Select(i => client.GetStatusAsync(_issuer, new StatusReference(i, uri), CancellationToken.None).AsTask()).ToList();
        await Task.Delay(300);
        slow.SetResult();
        var results = await Task.WhenAll(lookups);

        Assert.Equal(1, served);
        Assert.All(results, r => Assert.NotNull(r.Status));
    }

    [Fact]
    public async Task An_unreachable_list_fails_closed_with_a_clear_code()
    {
        var uri = _server.Url($"status/{_ods}/9").ToString();
        await _server.DisposeAsync();

        var result = await Client().GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Equal(TrustErrorCodes.StatusListUnavailable, result.Error?.Code);
    }

    [Fact]
    public async Task A_list_that_went_away_after_its_ttl_fails_closed_rather_than_serving_the_stale_copy()
    {
        var path = $"/status/{_ods}/5";
        var uri = _server.ServeStatusList(path, _list, _signer, _time, TimeSpan.FromSeconds(60));
        var client = Client();
        Assert.Equal(StatusType.Valid, (await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None)).Status);

        _server.Map(path, context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        _time.Advance(TimeSpan.FromSeconds(61));
        var result = await client.GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Equal(TrustErrorCodes.StatusListUnavailable, result.Error?.Code);
        Assert.DoesNotContain("503", result.Error!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch_", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_whose_subject_is_another_uri_is_refused()
    {
        var uri = _server.ServeStatusList($"/status/{_ods}/6", _list, _signer, _time, TimeSpan.FromMinutes(1), subject: _server.Url($"status/{_ods}/7").ToString());

        var result = await Client().GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Equal(ErrorCodes.SubjectMismatch, result.Error?.Code);
    }

    [Fact]
    public async Task A_list_signed_by_a_key_the_issuer_does_not_publish_is_refused()
    {
        var stranger = EcdsaJwsSigner.Generate("status-key");
        var uri = _server.ServeStatusList($"/status/{_ods}/8", _list, stranger, _time, TimeSpan.FromMinutes(1));

        var result = await Client().GetStatusAsync(_issuer, new StatusReference(1, uri), CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Equal(ErrorCodes.InvalidSignature, result.Error?.Code);
    }

    [Fact]
    public async Task An_index_beyond_the_list_is_an_error_not_valid()
    {
        var uri = _server.ServeStatusList($"/status/{_ods}/10", _list, _signer, _time, TimeSpan.FromMinutes(1));

        var result = await Client().GetStatusAsync(_issuer, new StatusReference(1_000_000, uri), CancellationToken.None);

        Assert.Null(result.Status);
        Assert.Equal(ErrorCodes.StatusIndexOutOfRange, result.Error?.Code);
    }
}
