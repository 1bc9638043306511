using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Tests.Keys;

public sealed class KeyVaultClientTests : IAsyncLifetime
{
    private KeyVaultStandIn _vault = null!;

    public async Task InitializeAsync() => _vault = await KeyVaultStandIn.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    private KeyVaultRestClient Client(TimeProvider? time = null, string token = KeyVaultStandIn.AcceptedToken, int maxAttempts = 4) =>
        new(Options.Create(new KeyOptions
        {
            Provider = KeyProvider.AzureKeyVault,
            VaultUri = _vault.VaultUri,
            MaxAttempts = maxAttempts,
            ServerErrorBackoff = TimeSpan.FromMilliseconds(1),
        }), KeyVaultStandIn.Credential(token), time ?? TimeProvider.System, _vault.Transport());

    private static readonly byte[] SigningInput = Encoding.ASCII.GetBytes("eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUifQ");

    [Fact]
    public async Task A_signature_from_the_vault_verifies_with_the_key_it_published()
    {
        var client = Client();
        var key = await client.CreateEcKeyAsync("passport-T1", default);

        var signature = await client.SignEs256Async(key.KeyId, SHA256.HashData(SigningInput), default);

        Assert.StartsWith(new Uri(_vault.VaultUri, "keys/passport-T1/").ToString(), key.KeyId, StringComparison.Ordinal);
        Assert.Equal(64, signature.Length);
        Assert.True(key.PublicKey.VerifyEs256(SigningInput, signature));
        Assert.False(key.PublicKey.VerifyEs256(Encoding.ASCII.GetBytes("something else"), signature));
    }

    [Fact]
    public async Task The_client_asks_for_a_token_for_the_vault_scope()
    {
        var credential = (KeyVaultStandIn.StaticTokenCredential)KeyVaultStandIn.Credential();
        var client = new KeyVaultRestClient(Options.Create(new KeyOptions { Provider = KeyProvider.AzureKeyVault, VaultUri = _vault.VaultUri }),
            credential, TimeProvider.System, _vault.Transport());

        await client.CreateEcKeyAsync("passport-scope", default);

        Assert.Equal(["https://vault.azure.net/.default"], credential.Scopes.Distinct());
    }

    [Fact]
    public async Task A_429_is_retried_only_after_the_Retry_After_the_vault_gave()
    {
        var time = new TimerRecordingTimeProvider();
        var client = Client(time);
        var key = await client.CreateEcKeyAsync("passport-throttled", default);
        _vault.FailNext(429, retryAfter: "7");

        var signing = client.SignEs256Async(key.KeyId, SHA256.HashData(SigningInput), default);
        var wait = await time.NextTimer.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(wait >= TimeSpan.FromSeconds(7), $"waited {wait}");
        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(signing.IsCompleted);
        Assert.Equal(1, _vault.Count("sign"));
        time.Advance(TimeSpan.FromSeconds(0.1));
        var signature = await signing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _vault.Count("sign"));
        Assert.True(key.PublicKey.VerifyEs256(SigningInput, signature));
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_we_wait_fails_at_once_as_throttled()
    {
        var client = Client();
        var key = await client.CreateEcKeyAsync("passport-long-throttle", default);
        _vault.FailNext(429, retryAfter: "3600");

        var ex = await Assert.ThrowsAsync<KeyVaultException>(() => client.SignEs256Async(key.KeyId, SHA256.HashData(SigningInput), default));

        Assert.Equal(KeyVaultFailure.Throttled, ex.Failure);
        Assert.Equal(1, _vault.Count("sign"));
    }

    [Fact]
    public async Task Waiting_out_a_429_stops_when_the_caller_cancels()
    {
        var time = new TimerRecordingTimeProvider();
        var client = Client(time);
        var key = await client.CreateEcKeyAsync("passport-cancelled", default);
        _vault.FailNext(429, retryAfter: "5");
        using var cancel = new CancellationTokenSource();

        var signing = client.SignEs256Async(key.KeyId, SHA256.HashData(SigningInput), cancel.Token);
        await time.NextTimer.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, _vault.Count("sign"));
    }

    [Fact]
    public async Task Server_errors_are_retried_with_back_off_until_the_vault_answers()
    {
        var client = Client();
        var key = await client.CreateEcKeyAsync("passport-flaky", default);
        _vault.FailNext(503, times: 2);

        var signature = await client.SignEs256Async(key.KeyId, SHA256.HashData(SigningInput), default);

        Assert.Equal(3, _vault.Count("sign"));
        Assert.True(key.PublicKey.VerifyEs256(SigningInput, signature));
    }

    [Fact]
    public async Task Persistent_server_errors_fail_clearly_after_the_bounded_attempts()
    {
        var client = Client(maxAttempts: 3);
        var key = await client.CreateEcKeyAsync("passport-down", default);
        _vault.FailNext(500, times: 10);

        var ex = await Assert.ThrowsAsync<KeyVaultException>(() => client.SignEs256Async(key.KeyId, SHA256.HashData(SigningInput), default));

        Assert.Equal(KeyVaultFailure.Unavailable, ex.Failure);
        Assert.Contains("after 3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, _vault.Count("sign"));
    }

    [Fact]
    public async Task A_401_fails_at_once_as_refused_credentials_without_the_token_in_the_message()
    {
        const string token = "wrong-token-value-3f9a1b";
        var client = Client(token: token);

        var ex = await Assert.ThrowsAsync<KeyVaultException>(() => client.CreateEcKeyAsync("passport-refused", default));

        Assert.Equal(KeyVaultFailure.Refused, ex.Failure);
        Assert.Contains("refused our credentials", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.InnerException);
        Assert.Equal(1, _vault.Count("create"));
    }

    [Fact]
    public async Task The_public_key_is_fetched_once_and_then_served_from_cache()
    {
        var created = await Client().CreateEcKeyAsync("passport-cached", default);
        var client = Client();

        var first = await client.GetPublicKeyAsync(created.KeyId, default);
        var second = await client.GetPublicKeyAsync(created.KeyId, default);

        Assert.Equal(1, _vault.Count("get"));
        Assert.True(first.SameKeyAs(created.PublicKey));
        Assert.Same(first, second);
    }

    [Fact]
    public async Task A_key_identifier_outside_the_configured_vault_is_refused_before_any_token_is_sent()
    {
        var client = Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.SignEs256Async("https://attacker.example/keys/k/0123abcd", new byte[32], default));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPublicKeyAsync(new Uri(_vault.VaultUri, "secrets/s/0123abcd").ToString(), default));

        Assert.Empty(_vault.Requests);
    }

    /// <summary>A fake clock that reports each timer created (Task.Delay on this provider) and its due time.</summary>
    private sealed class TimerRecordingTimeProvider : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new();

        public TaskCompletionSource<TimeSpan> NextTimer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<TimeSpan> Timers { get; } = new();

        public void Advance(TimeSpan by) => _fake.Advance(by);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            Timers.Enqueue(dueTime);
            NextTimer.TrySetResult(dueTime);
            return timer;
        }
    }
}
