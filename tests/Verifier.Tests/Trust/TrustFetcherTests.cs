using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Trust;

public sealed class TrustFetcherTests : IAsyncLifetime
{
    private TestIssuerServer _server = null!;

    public async Task InitializeAsync() => _server = await TestIssuerServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static TrustFetcher Fetcher(bool allowLoopback = true, IDictionary<string, string?>? settings = null) =>
        TrustHost.Create(TimeProvider.System, settings, allowLoopback: allowLoopback).GetRequiredService<TrustFetcher>();

    [Fact]
    public async Task A_public_issuer_document_is_fetched_when_loopback_is_allowed_for_tests()
    {
        _server.MapJson("/doc", () => new System.Text.Json.Nodes.JsonObject { ["ok"] = true });

        var result = await Fetcher().GetAsync(_server.Url("/doc"), "application/json", 1024 * 1024, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal("{\"ok\":true}", System.Text.Encoding.UTF8.GetString(result.Body!));
    }

    [Fact]
    public async Task A_fetch_to_a_loopback_address_is_refused_before_connecting_when_private_networks_are_not_allowed()
    {
        _server.MapJson("/doc", () => new System.Text.Json.Nodes.JsonObject());

        var result = await Fetcher(allowLoopback: false).GetAsync(_server.Url("/doc"), "application/json", 1024, CancellationToken.None);

        Assert.Equal(FetchError.AddressNotAllowed, result.Error?.Code);
        Assert.Null(result.Body);
        Assert.Equal(0, _server.Hits("/doc"));
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_like_the_address_itself()
    {
        var url = new UriBuilder(_server.Url("/doc")) { Host = "localhost" }.Uri;

        var result = await Fetcher(allowLoopback: false).GetAsync(url, "application/json", 1024, CancellationToken.None);

        Assert.Equal(FetchError.AddressNotAllowed, result.Error?.Code);
        Assert.Equal(0, _server.Hits("/doc"));
    }

    [Fact]
    public async Task Http_is_refused_unless_the_configuration_allows_it()
    {
        var fetcher = Fetcher(settings: new Dictionary<string, string?> { [$"{TrustOptions.Section}:AllowHttp"] = "false" });

        var result = await fetcher.GetAsync(_server.Url("/doc"), "application/json", 1024, CancellationToken.None);

        Assert.Equal(FetchError.SchemeNotAllowed, result.Error?.Code);
        Assert.Equal(0, _server.Hits("/doc"));
    }

    [Fact]
    public async Task A_ten_megabyte_body_without_a_length_is_cut_off_at_the_cap_with_a_clear_error()
    {
        _server.Map("/big", async context =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 160 && !context.RequestAborted.IsCancellationRequested; i++)
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        });

        var result = await Fetcher().GetAsync(_server.Url("/big"), "application/json", 256 * 1024, CancellationToken.None);

        Assert.Equal(FetchError.TooLarge, result.Error?.Code);
        Assert.Contains("262144 bytes", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_the_body_is_read()
    {
        _server.Map("/big", async context =>
        {
            context.Response.ContentLength = 10 * 1024 * 1024;
            await context.Response.Body.WriteAsync(new byte[1024], context.RequestAborted);
        });

        var result = await Fetcher().GetAsync(_server.Url("/big"), "application/json", 256 * 1024, CancellationToken.None);

        Assert.Equal(FetchError.TooLarge, result.Error?.Code);
    }

    [Fact]
    public async Task A_body_of_exactly_the_cap_is_accepted()
    {
        _server.Map("/exact", context => context.Response.Body.WriteAsync(new byte[4096], context.RequestAborted).AsTask());

        var result = await Fetcher().GetAsync(_server.Url("/exact"), "application/json", 4096, CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(4096, result.Body!.Length);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_in_time_gives_a_timeout()
    {
        _server.Map("/slow", async context =>
        {
            try { await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted); }
            catch (OperationCanceledException) { }
        });
        var fetcher = Fetcher(settings: new Dictionary<string, string?> { [$"{TrustOptions.Section}:Timeout"] = "00:00:00.500" });

        var result = await fetcher.GetAsync(_server.Url("/slow"), "application/json", 1024, CancellationToken.None);

        Assert.Equal(FetchError.TimedOut, result.Error?.Code);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        _server.Map("/moved", context =>
        {
            context.Response.Redirect("http://169.254.169.254/latest/meta-data/");
            return Task.CompletedTask;
        });

        var result = await Fetcher().GetAsync(_server.Url("/moved"), "application/json", 1024, CancellationToken.None);

        Assert.Equal(FetchError.Failed, result.Error?.Code);
        Assert.Contains("redirect", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_status_is_a_failed_fetch()
    {
        _server.Map("/gone", context =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return Task.CompletedTask;
        });

        var result = await Fetcher().GetAsync(_server.Url("/gone"), "application/json", 1024, CancellationToken.None);

        Assert.Equal(FetchError.Failed, result.Error?.Code);
    }

    [Theory]
    [InlineData("Production", "AllowHttp")]
    [InlineData("Production", "AllowPrivateNetworks")]
    public void Production_refuses_to_start_with_http_or_private_networks_allowed(string environment, string setting)
    {
        using var services = TrustHost.Create(TimeProvider.System, new Dictionary<string, string?>
        {
            [$"{TrustOptions.Section}:{setting}"] = "true",
        }, environment, relaxed: false);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TrustOptions>>().Value);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("Prod")]
    public void Outside_development_private_networks_stay_blocked_unless_a_setting_allows_them_outside_development(string environment)
    {
        using var services = TrustHost.Create(TimeProvider.System, new Dictionary<string, string?>
        {
            [$"{TrustOptions.Section}:AllowPrivateNetworks"] = "true",
        }, environment, relaxed: false);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<TrustOptions>>().Value);
        Assert.Contains("PrivateNetworksOutsideDevelopment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_staging_environment_on_a_private_network_allows_private_addresses_only_with_both_settings()
    {
        using var services = TrustHost.Create(TimeProvider.System, new Dictionary<string, string?>
        {
            [$"{TrustOptions.Section}:AllowPrivateNetworks"] = "true",
            [$"{TrustOptions.Section}:PrivateNetworksOutsideDevelopment"] = "true",
        }, "Staging", relaxed: false);

        Assert.True(services.GetRequiredService<IOptions<TrustOptions>>().Value.AllowPrivateNetworks);
    }

    [Fact]
    public void Production_starts_with_the_default_trust_rules()
    {
        using var services = TrustHost.Create(TimeProvider.System, environment: "Production", relaxed: false);

        var options = services.GetRequiredService<IOptions<TrustOptions>>().Value;

        Assert.False(options.AllowHttp);
        Assert.False(options.AllowPrivateNetworks);
    }
}
