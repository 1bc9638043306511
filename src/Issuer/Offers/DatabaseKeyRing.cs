using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;

namespace Passport.Issuer.Offers;

/// <summary>One key of the Data Protection key ring, as ASP.NET Core writes it (XML).</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; init; }
    public string? FriendlyName { get; init; }
    public required string Xml { get; init; }
}

/// <summary>
/// Keeps the Issuer's Data Protection key ring in its own database, so that every instance, and an instance after a
/// restart or a new container, can unprotect what another protected: the pre-authorized code of an offer a wallet
/// fetches by reference. Keys are stored as ASP.NET Core writes them; the database is already where the Issuer's
/// secrets live (its signing keys, encrypted at rest with the key-encryption key).
/// </summary>
internal sealed class DatabaseKeyRing(IServiceScopeFactory scopes) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options) => options.XmlRepository = new Repository(scopes);

    private sealed class Repository(IServiceScopeFactory scopes) : IXmlRepository
    {
        // Data Protection calls these synchronously, rarely (once per key-ring refresh, about daily) and off the request path.
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x)).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
            db.SaveChanges();
        }
    }
}
