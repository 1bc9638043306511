using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Offers;

public sealed class MyOfferTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task A_member_of_staff_offers_their_own_active_credentials_to_their_wallet_and_sees_where_they_are_deployed()
    {
        var ods = Seed.NewOds();
        var (staffId, credentialId) = await Seed.CredentialAsync(app, ods);
        using var me = app.ClientFor(ods, PassportRoles.Staff, staffId);

        using var offer = await me.PostAsJsonAsync("/api/me/offers", new { });
        using var deployments = await me.GetAsync(new Uri("/api/me/deployments", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, offer.StatusCode);
        var body = await offer.Content.ReadFromJsonAsync<JsonObject>() ?? [];
        Assert.Equal(staffId.ToString(), (string?)body["staffId"]);
        Assert.Equal([credentialId.ToString()], body["credentialIds"]!.AsArray().Select(x => (string?)x));
        Assert.StartsWith("openid-credential-offer://", (string?)body["offerUri"], StringComparison.Ordinal);
        Assert.Matches("^[0-9]{6}$", (string?)body["txCode"] ?? "");
        Assert.Equal(HttpStatusCode.OK, deployments.StatusCode);
        Assert.Empty(await deployments.Content.ReadFromJsonAsync<JsonArray>() ?? [new JsonObject()]);
    }

    [Fact]
    public async Task Hr_cannot_use_the_staff_offer_and_staff_cannot_offer_to_someone_else()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        var (otherStaffId, _) = await Seed.CredentialAsync(app, ods);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var me = app.ClientFor(ods, PassportRoles.Staff, staffId);

        using var asHr = await hr.PostAsJsonAsync("/api/me/offers", new { });
        using var forOther = await me.PostAsJsonAsync($"/api/staff/{otherStaffId}/offers", new { });

        Assert.Equal(HttpStatusCode.Forbidden, asHr.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forOther.StatusCode);
    }
}
