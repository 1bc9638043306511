using System.Net;
using System.Text.Json.Nodes;
using Passport.Cli.Wallet;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Cli.Tests;

public sealed class WalletTests(EmbeddedHost host) : IClassFixture<EmbeddedHost>, IDisposable
{
    private readonly DirectoryInfo _wallet = Directory.CreateTempSubdirectory("passport-wallet-test-");
    private readonly Api _api = new(host);

    private string[] Wallet(params string[] args) => ["wallet", "--wallet-dir", _wallet.FullName, .. args];

    [Fact]
    public async Task The_wallet_receives_lists_and_presents_only_the_claims_asked_for()
    {
        var (staffId, issued) = await _api.HealthcareAssistantAsync();
        var (offer, txCode) = await _api.OfferAsync(staffId);

        var (receiveExit, receiveOutput) = await Cli.RunAsync(Wallet("receive", offer, "--tx-code", txCode));
        Assert.True(receiveExit == 0, receiveOutput);
        Assert.Contains("Received 4 credential(s)", receiveOutput, StringComparison.Ordinal);

        var (listExit, list) = await Cli.RunAsync(Wallet("list"));
        Assert.True(listExit == 0, list);
        Assert.Equal(4, list.Split('\n').Count(l => l.Contains(" valid ", StringComparison.Ordinal)));
        Assert.Contains("DBS check", list, StringComparison.Ordinal);

        var (requestId, deepLink) = await _api.PresentationRequestAsync("healthcare_assistant");
        var (presentExit, presented) = await Cli.RunAsync(Wallet("present", deepLink, "--yes"));
        Assert.True(presentExit == 0, presented);
        Assert.Contains("Asked by: Eastbrook Community NHS Trust (demo)", presented, StringComparison.Ordinal);
        Assert.Contains("clearance", presented, StringComparison.Ordinal);
        Assert.DoesNotContain("hepatitis_b", presented, StringComparison.Ordinal);

        var verifier = await _api.AsAsync("RXH", "verifier");
        var decision = await verifier.GetAsync($"api/presentation-requests/{requestId}/decision", "decision", CancellationToken.None);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        var health = decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "occupational_health")!;
        Assert.Equal(["clearance"], health["claims"]!.AsObject().Select(c => c.Key));

        var hr = await _api.AsAsync("RHQ", "hr_issuer");
        await hr.PostAsync($"api/credentials/{issued["dbs"]}/revoke", new JsonObject { ["reason"] = "issued_in_error" }, "revoke", CancellationToken.None, HttpStatusCode.OK);
        var (_, after) = await Cli.RunAsync(Wallet("list"));
        Assert.Contains("withdrawn", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_holder_key_is_readable_only_by_its_owner_and_reused_for_every_credential()
    {
        var (staffId, issued) = await _api.HealthcareAssistantAsync();
        var (first, firstCode) = await _api.OfferAsync(staffId, issued["dbs"]);
        Assert.Equal(0, (await Cli.RunAsync(Wallet("receive", first, "--tx-code", firstCode))).ExitCode);
        var keyFile = Path.Combine(_wallet.FullName, WalletStore.KeyFileName);
        var key = await File.ReadAllTextAsync(keyFile);

        var (second, secondCode) = await _api.OfferAsync(staffId, issued["training"]);
        Assert.Equal(0, (await Cli.RunAsync(Wallet("receive", second, "--tx-code", secondCode))).ExitCode);

        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(key, await File.ReadAllTextAsync(keyFile));
        var bound = new WalletStore(_wallet.FullName).List().Select(c =>
        {
            Assert.True(HeldCredential.TryParse(c.SdJwt, out var held, out _));
            Assert.True(EcPublicJwk.TryParse(held.Jwt.Payload["cnf"]!["jwk"], out var jwk, out _));
            return jwk.Thumbprint();
        }).Distinct().ToList();
        Assert.Equal(2, new WalletStore(_wallet.FullName).List().Count);
        Assert.Single(bound);
    }

    [Fact]
    public async Task The_wallet_refuses_a_holder_key_that_others_can_read()
    {
        if (OperatingSystem.IsWindows())
            return;
        var (staffId, issued) = await _api.HealthcareAssistantAsync();
        _ = new WalletStore(_wallet.FullName).HolderKey();
        var keyFile = Path.Combine(_wallet.FullName, WalletStore.KeyFileName);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var (offer, txCode) = await _api.OfferAsync(staffId, issued["dbs"]);

        var (exit, output) = await Cli.RunAsync(Wallet("receive", offer, "--tx-code", txCode));

        Assert.Equal(1, exit);
        Assert.Contains("chmod 600", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_transaction_code_is_refused_and_nothing_is_stored()
    {
        var (staffId, _) = await _api.HealthcareAssistantAsync();
        var (offer, txCode) = await _api.OfferAsync(staffId);
        var wrong = txCode == "000000" ? "111111" : "000000";

        var (exit, output) = await Cli.RunAsync(Wallet("receive", offer, "--tx-code", wrong));

        Assert.Equal(1, exit);
        Assert.Contains("invalid_grant", output, StringComparison.Ordinal);
        Assert.Empty(new WalletStore(_wallet.FullName).List());
    }

    public void Dispose()
    {
        _api.Dispose();
        _wallet.Delete(recursive: true);
    }
}
