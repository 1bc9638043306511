using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Offers;

/// <summary>One key of the Data Protection key ring, as ASP.NET Core writes it (XML), its secret encrypted under the KEK.</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; init; }
    public string? FriendlyName { get; init; }
    public required string Xml { get; init; }
}

/// <summary>
/// Keeps the Issuer's Data Protection key ring in its own database, so that every instance, and an instance after a
/// restart or a new container, can unprotect what another protected: the pre-authorized code of an offer a wallet
/// fetches by reference. Each key's secret is encrypted under the key-encryption key before it is stored, so reading the
/// database does not give the pre-authorized codes away.
/// </summary>
internal sealed class DatabaseKeyRing(IServiceScopeFactory scopes, LocalKeyProtector protector, ILogger<DatabaseKeyRing> logger)
    : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options)
    {
        options.XmlRepository = new Repository(scopes, logger);
        options.XmlEncryptor = new KeyRingEncryptor(protector);
    }

    /// <summary>A key element whose secret was stored in the clear (before the key ring was encrypted).</summary>
    internal static bool IsUnencryptedKey(XElement element) =>
        element.Name.LocalName == "key" && !element.Descendants().Any(e => e.Name.LocalName == "encryptedSecret");

    private sealed class Repository(IServiceScopeFactory scopes, ILogger logger) : IXmlRepository
    {
        // Data Protection calls these synchronously, rarely (once per key-ring refresh, about daily) and off the request path.
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            var elements = db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x)).ToList();
            var unencrypted = elements.Count(IsUnencryptedKey);
            if (unencrypted > 0)
                logger.LogWarning("Ignoring {Count} Data Protection key(s) stored unencrypted; a new encrypted key replaces them.", unencrypted);
            return elements.Where(e => !IsUnencryptedKey(e)).ToList();
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
            db.DataProtectionKeys.RemoveRange(db.DataProtectionKeys.ToList().Where(k => IsUnencryptedKey(XElement.Parse(k.Xml))));
            db.SaveChanges();
        }
    }
}

internal sealed class KeyRingEncryptor(LocalKeyProtector protector) : IXmlEncryptor
{
    internal static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("passport-data-protection-key-ring");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            return new EncryptedXmlInfo(new XElement("encryptedKey", new XElement("value", Convert.ToBase64String(protector.Seal(plaintext, AssociatedData)))),
                typeof(KeyRingDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>Created by Data Protection from the type name stored with each encrypted key.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) => Decrypt(encryptedElement, services.GetRequiredService<LocalKeyProtector>());

    internal static XElement Decrypt(XElement encryptedElement, LocalKeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var stored = Convert.FromBase64String((string?)encryptedElement.Element("value")
            ?? throw new CryptographicException("An encrypted Data Protection key has no value."));
        var plaintext = protector.Open(stored, KeyRingEncryptor.AssociatedData,
            "An encrypted Data Protection key is not in a format this service reads.");
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
