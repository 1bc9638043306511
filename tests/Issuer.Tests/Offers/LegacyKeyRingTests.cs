using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Offers;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Offers;

/// <summary>A database whose key ring an earlier version stored in the clear: on its own database, so no encrypted key exists yet.</summary>
public sealed class LegacyKeyRingTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task A_key_stored_unencrypted_by_an_earlier_version_is_not_used_and_is_removed_when_the_encrypted_key_replacing_it_is_stored()
    {
        var folder = Directory.CreateTempSubdirectory("passport-legacy-keys-");
        try
        {
            // What ASP.NET Core writes without an encryptor: the master key in the clear.
            DataProtectionProvider.Create(folder, b => b.SetApplicationName("passport-issuer")).CreateProtector("p").Protect("x"u8.ToArray());
            var legacy = XElement.Load(Assert.Single(folder.GetFiles("key-*.xml")).FullName);
            Assert.True(DatabaseKeyRing.IsUnencryptedKey(legacy));
            // Straight to the database, before this class's service starts and makes a key ring of its own.
            await using (var db = new Data.IssuerDbContext(new DbContextOptionsBuilder<Data.IssuerDbContext>().UseNpgsql(app.Database.ConnectionString).Options))
            {
                db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = "legacy", Xml = legacy.ToString(SaveOptions.DisableFormatting) });
                await db.SaveChangesAsync();
            }

            var ods = Seed.NewOds();
            var (staffId, _) = await Seed.CredentialAsync(app, ods);
            using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
            using var offered = await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { });
            Assert.Equal(HttpStatusCode.Created, offered.StatusCode);

            var rows = await app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
            var keys = rows.Select(XElement.Parse).ToList();
            Assert.DoesNotContain(keys, k => DatabaseKeyRing.IsUnencryptedKey(k) || (string?)k.Attribute("id") == (string?)legacy.Attribute("id"));
            Assert.NotEmpty(keys);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
