using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Offers;

/// <summary>The whole pre-authorized code flow driven by a wallet we did not write (@openid4vc/openid4vci 0.4.6, @sd-jwt 0.19.0).</summary>
public sealed class IndependentWalletTests(LoopbackIssuerApp app) : IClassFixture<LoopbackIssuerApp>
{
    private async Task<(string Ods, Guid CredentialId, string OfferUri, string TxCode)> OfferAsync()
    {
        var ods = Seed.NewOds();
        var (staffId, credentialId) = await app.SeedCredentialAsync(ods, "training",
            """{"subject":"fire_safety","level":1,"completed_on":"2025-01-10","provider":"Test Trust"}""");
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var response = await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (ods, credentialId, body["offerUri"]!.GetValue<string>(), body["txCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_independent_wallet_collects_verifies_and_accepts_a_credential()
    {
        var (ods, credentialId, offerUri, txCode) = await OfferAsync();

        var (result, error) = await NodeWallet.RunAsync(new JsonObject { ["offerUri"] = offerUri, ["txCode"] = txCode });

        Assert.True(result is not null, $"The npm wallet failed: {error}");
        Assert.Equal($"{app.PublicBaseUrl}issuers/{ods}", result["credentialIssuer"]!.GetValue<string>());
        Assert.Equal("V1", result["issuerMetadataVersion"]!.GetValue<string>());
        Assert.Equal("dc+sd-jwt", result["header"]!["typ"]!.GetValue<string>());
        Assert.Equal(result["holderJwk"]!["x"]!.GetValue<string>(), result["claims"]!["cnf"]!["jwk"]!["x"]!.GetValue<string>());
        Assert.Equal($"{app.PublicBaseUrl}vct/training", result["claims"]!["vct"]!.GetValue<string>());
        Assert.Equal(0, result["status"]!.GetValue<int>());

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        Assert.True(db.Database.IsNpgsql());
        var notification = await db.WalletNotifications.AsNoTracking().SingleAsync(n => n.CredentialId == credentialId);
        Assert.Equal("credential_accepted", notification.Event);
    }

    [Fact]
    public async Task An_independent_wallet_with_the_wrong_tx_code_gets_invalid_grant()
    {
        var (_, _, offerUri, txCode) = await OfferAsync();
        var wrong = txCode == "000000" ? "111111" : "000000";

        var (result, error) = await NodeWallet.RunAsync(new JsonObject { ["offerUri"] = offerUri, ["txCode"] = wrong });

        Assert.Null(result);
        Assert.Contains("invalid_grant", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_independent_wallets_rejection_reaches_hr_with_its_reason()
    {
        var (ods, credentialId, offerUri, txCode) = await OfferAsync();

        var (result, error) = await NodeWallet.RunAsync(new JsonObject
        {
            ["offerUri"] = offerUri, ["txCode"] = txCode, ["event"] = "credential_deleted", ["eventDescription"] = "duplicate: I already have this one",
        });

        Assert.True(result is not null, $"The npm wallet failed: {error}");
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var open = (await hr.GetFromJsonAsync<JsonArray>("/api/notifications?unresolved=true"))!;
        var rejection = open.Single(n => n!["credentialId"]!.GetValue<Guid>() == credentialId)!;
        Assert.Equal("duplicate", rejection["reason"]!.GetValue<string>());
    }
}
