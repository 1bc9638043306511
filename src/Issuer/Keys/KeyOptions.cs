using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace Passport.Issuer.Keys;

/// <summary>
/// Where organisations' signing keys live. The key-encryption key for local keys comes from the environment
/// (<c>Issuer__Keys__KeyEncryptionKey</c>) or user secrets, never from appsettings.
/// </summary>
public sealed class KeyOptions
{
    public const string Section = "Issuer:Keys";

    public KeyProvider Provider { get; set; } = KeyProvider.Local;

    /// <summary>
    /// Base64 of 32 random bytes. Encrypts the Data Protection key ring and each local private key (AES-256-GCM) at rest,
    /// and keys the tx_code digests (HMAC). Needed with either provider.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Development only, when no key-encryption key is configured: where a generated one is kept.</summary>
    public string DevelopmentKeyEncryptionKeyFile { get; set; } = "data/issuer-kek.key";

    /// <summary>Azure Key Vault: the vault's https URI, for example https://passport-prod.vault.azure.net/.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>Azure Key Vault: prepended to the organisation's ODS code to name its key (letters, digits and '-').</summary>
    public string KeyNamePrefix { get; set; } = "passport-";

    /// <summary>Azure Key Vault: attempts per operation when the vault throttles (429) or fails (5xx).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Azure Key Vault: the longest Retry-After we wait for before giving up on the request.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Azure Key Vault: first back-off after a 5xx; doubles per attempt.</summary>
    public TimeSpan ServerErrorBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

internal sealed partial class KeyOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<KeyOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyOptions options)
    {
        var failures = new List<string>();
        ValidateKeyEncryptionKey(options, failures);
        if (options.Provider == KeyProvider.AzureKeyVault)
            ValidateKeyVault(options, failures);
        else if (options.Provider != KeyProvider.Local)
            failures.Add($"{KeyOptions.Section}:Provider must be Local or AzureKeyVault.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Both providers need it: besides local private keys it encrypts the Data Protection key ring and keys the tx_code digests.
    private void ValidateKeyEncryptionKey(KeyOptions options, List<string> failures)
    {
        if (configuration is IConfigurationRoot root
            && root.Providers.OfType<JsonConfigurationProvider>().Any(p => p.TryGet($"{KeyOptions.Section}:KeyEncryptionKey", out _)))
        {
            failures.Add($"{KeyOptions.Section}:KeyEncryptionKey must not be in an appsettings file: set it with the environment variable Issuer__Keys__KeyEncryptionKey or a secret store.");
        }
        if (string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
                failures.Add($"{KeyOptions.Section}:KeyEncryptionKey is not set: it encrypts the offer secrets' key ring (and local signing keys) at rest; set base64 of 32 random bytes in the environment variable Issuer__Keys__KeyEncryptionKey from a secret store, whichever the key provider.");
        }
        else if (!LocalKeyProtector.TryDecodeKek(options.KeyEncryptionKey, out _))
        {
            failures.Add($"{KeyOptions.Section}:KeyEncryptionKey must be base64 of exactly 32 bytes (for example the output of `openssl rand -base64 32`).");
        }
    }

    private static void ValidateKeyVault(KeyOptions options, List<string> failures)
    {
        if (options.VaultUri is not { IsAbsoluteUri: true } uri || uri.Scheme != Uri.UriSchemeHttps)
            failures.Add($"{KeyOptions.Section}:VaultUri must be the vault's https URI (for example https://passport-prod.vault.azure.net/) when the provider is AzureKeyVault.");
        if (!KeyNamePrefixPattern().IsMatch(options.KeyNamePrefix))
            failures.Add($"{KeyOptions.Section}:KeyNamePrefix may hold only letters, digits and '-' (at most 100), as Key Vault key names do.");
        if (options.MaxAttempts is < 1 or > 10)
            failures.Add($"{KeyOptions.Section}:MaxAttempts must be between 1 and 10.");
        if (options.MaxRetryAfter < TimeSpan.Zero || options.ServerErrorBackoff < TimeSpan.Zero || options.NetworkTimeout <= TimeSpan.Zero)
            failures.Add($"{KeyOptions.Section}: MaxRetryAfter and ServerErrorBackoff must not be negative, NetworkTimeout must be positive.");
    }

    [GeneratedRegex("^[0-9A-Za-z-]{0,100}$")]
    private static partial Regex KeyNamePrefixPattern();
}
