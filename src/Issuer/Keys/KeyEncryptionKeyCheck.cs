using System.Data.Common;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;
using Passport.Issuer.Offers;

namespace Passport.Issuer.Keys;

/// <summary>
/// At start-up, opens one stored local private key and one stored Data Protection key with the configured key-encryption
/// key. A KEK other than the one they were stored under would otherwise let the service report healthy and then fail every
/// issue; this stops start-up instead, saying which key is wrong. A database that cannot be read yet is left to the
/// readiness check.
/// </summary>
internal sealed partial class KeyEncryptionKeyCheck(
    IServiceScopeFactory scopes, LocalKeyProtector protector, IOptions<KeyOptions> options, ILogger<KeyEncryptionKeyCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string? signingKey;
        List<string> ring;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            var key = await db.SigningKeys.AsNoTracking()
                .Where(k => k.Provider == KeyProvider.Local && k.ProtectedPrivateKey != null)
                .OrderByDescending(k => k.CreatedAt)
                .Select(k => new { k.Kid, k.OdsCode, k.ProtectedPrivateKey })
                .FirstOrDefaultAsync(cancellationToken);
            if (key is not null)
                Open(() => protector.Unprotect(key.ProtectedPrivateKey!, key.Kid, key.OdsCode), $"the signing key '{key.Kid}' of {key.OdsCode}");
            signingKey = key?.Kid;
            ring = await db.DataProtectionKeys.AsNoTracking().OrderByDescending(k => k.Id).Select(k => k.Xml).Take(20).ToListAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException { InnerException: DbException })
        {
            LogSkipped(logger, e.GetType().Name);
            return;
        }
        var encrypted = ring.Select(XElement.Parse).SelectMany(x => x.Descendants()).FirstOrDefault(e => e.Name.LocalName == "encryptedSecret");
        if (encrypted?.Elements().FirstOrDefault() is { } secret && secret.Name.LocalName == "encryptedKey")
            Open(() => KeyRingDecryptor.Decrypt(secret, protector), "the offer secrets' key ring");
    }

    private void Open(Func<object> open, string what)
    {
        try
        {
            if (open() is byte[] plaintext)
                CryptographicOperations.ZeroMemory(plaintext);
        }
        catch (CryptographicException)
        {
            var source = string.IsNullOrWhiteSpace(options.Value.KeyEncryptionKey)
                ? $"the development key file '{Path.GetFullPath(options.Value.DevelopmentKeyEncryptionKeyFile)}'"
                : $"{KeyOptions.Section}:KeyEncryptionKey";
            throw new InvalidOperationException(
                $"The key-encryption key from {source} does not decrypt {what} stored in the Issuer's database: it is not the key they were encrypted under. " +
                "Start with the key-encryption key this database was used with (for the embedded host, the same --data folder holds both).");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The key-encryption key was not checked against stored keys: the database could not be read ({Error}).")]
    private static partial void LogSkipped(ILogger logger, string error);
}
