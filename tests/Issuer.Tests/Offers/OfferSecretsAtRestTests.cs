using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Offers;

public sealed class OfferSecretsAtRestTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private async Task<(Guid OfferId, string TxCode)> OfferAsync()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var response = await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["id"]!.GetValue<Guid>(), body["txCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_data_protection_key_ring_is_stored_encrypted_with_no_master_key_in_the_clear()
    {
        await OfferAsync();

        var rows = await app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());

        Assert.NotEmpty(rows);
        foreach (var key in rows.Select(XElement.Parse).Where(e => e.Name.LocalName == "key"))
        {
            Assert.DoesNotContain(key.Descendants(), e => e.Name.LocalName == "masterKey");
            Assert.Single(key.Descendants(), e => e.Name.LocalName == "encryptedSecret");
        }
    }

    [Fact]
    public async Task The_stored_tx_code_digest_is_keyed_so_the_six_digits_cannot_be_found_from_the_database_alone()
    {
        var (offerId, txCode) = await OfferAsync();

        var stored = await app.WithDbAsync(db => db.Offers.AsNoTracking().Where(o => o.Id == offerId).Select(o => o.TxCodeHash).SingleAsync());

        var unkeyed = Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6", System.Globalization.CultureInfo.InvariantCulture))
            .Where(code => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code))) == stored);
        Assert.Empty(unkeyed);
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(txCode))), stored);
    }
}
