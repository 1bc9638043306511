namespace Passport.Web.Tests;

[Collection(SiteTests.Name)]
public sealed class WalletTests(PassportSite site) : IDisposable
{
    private readonly TestWallet _wallet = new();

    [Fact]
    public async Task The_wallet_receives_an_offer_from_its_link_and_presents_to_a_request_link_and_the_verifier_accepts()
    {
        var assistant = await Scene.HealthcareAssistantAsync(site, "Wendy", "Walker");
        var (offerLink, txCode) = await Scene.OfferAsync(site, assistant.Id);

        var received = await _wallet.ReceiveAsync(offerLink, txCode);
        var (requestId, requestLink) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var presented = await _wallet.PresentAsync(requestLink);

        Assert.Contains("Received 6 credential(s)", received, StringComparison.Ordinal);
        Assert.Contains("Presented", presented, StringComparison.Ordinal);
        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
    }

    [Fact]
    public async Task A_wallet_step_that_fails_says_what_the_wallet_printed()
    {
        var assistant = await Scene.HealthcareAssistantAsync(site, "Fiona", "Fail");
        var (offerLink, txCode) = await Scene.OfferAsync(site, assistant.Id);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _wallet.ReceiveAsync(offerLink, txCode == "000000" ? "111111" : "000000"));

        Assert.Contains("invalid_grant", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _wallet.Dispose();
}
