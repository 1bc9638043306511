using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Passport.Issuer.Keys;

namespace Passport.Issuer.Tests.Keys;

public sealed class KeyConfigurationTests
{
    private static readonly string Kek = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static IReadOnlyList<string> Failures(KeyOptions options, string environment = "Production", IConfiguration? configuration = null)
    {
        var validator = new KeyOptionsValidator(new HostingEnvironment { EnvironmentName = environment },
            configuration ?? new ConfigurationBuilder().Build());
        var result = validator.Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }

    [Fact]
    public void Outside_development_a_missing_key_encryption_key_stops_start_up_with_a_sentence_naming_the_setting()
    {
        var failure = Assert.Single(Failures(new KeyOptions()));

        Assert.Contains("Issuer:Keys:KeyEncryptionKey is not set", failure, StringComparison.Ordinal);
        Assert.Contains("Issuer__Keys__KeyEncryptionKey", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_and_testing_may_start_without_a_key_encryption_key()
    {
        Assert.Empty(Failures(new KeyOptions(), Environments.Development));
        Assert.Empty(Failures(new KeyOptions(), "Testing"));
        Assert.Empty(Failures(new KeyOptions { KeyEncryptionKey = Kek }));
    }

    [Fact]
    public void A_key_encryption_key_that_is_not_32_bytes_of_base64_is_refused()
    {
        Assert.Contains("exactly 32 bytes", Assert.Single(Failures(new KeyOptions { KeyEncryptionKey = Convert.ToBase64String(new byte[16]) })), StringComparison.Ordinal);
        Assert.Single(Failures(new KeyOptions { KeyEncryptionKey = "not base64!" }));
    }

    [Fact]
    public void A_key_encryption_key_in_an_appsettings_file_is_refused()
    {
        var file = Path.Combine(Path.GetTempPath(), $"appsettings.{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{\"Issuer\":{\"Keys\":{\"KeyEncryptionKey\":\"" + Kek + "\"}}}");
        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file).Build();

            var failure = Assert.Single(Failures(new KeyOptions { KeyEncryptionKey = Kek }, configuration: configuration));

            Assert.Contains("must not be in an appsettings file", failure, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Key_Vault_needs_an_https_vault_uri_and_a_valid_key_name_prefix()
    {
        Assert.Contains("VaultUri", Assert.Single(Failures(new KeyOptions { Provider = KeyProvider.AzureKeyVault, KeyEncryptionKey = Kek })), StringComparison.Ordinal);
        Assert.Single(Failures(new KeyOptions { Provider = KeyProvider.AzureKeyVault, KeyEncryptionKey = Kek, VaultUri = new Uri("http://vault.example/") }));
        Assert.Contains("KeyNamePrefix", Assert.Single(Failures(new KeyOptions
        {
            Provider = KeyProvider.AzureKeyVault, KeyEncryptionKey = Kek, VaultUri = new Uri("https://passport.vault.azure.net/"), KeyNamePrefix = "bad_prefix",
        })), StringComparison.Ordinal);
        Assert.Empty(Failures(new KeyOptions { Provider = KeyProvider.AzureKeyVault, KeyEncryptionKey = Kek, VaultUri = new Uri("https://passport.vault.azure.net/") }));
    }

    [Fact]
    public void Key_Vault_outside_development_still_needs_a_key_encryption_key_for_the_offer_secrets()
    {
        var failure = Assert.Single(Failures(new KeyOptions { Provider = KeyProvider.AzureKeyVault, VaultUri = new Uri("https://passport.vault.azure.net/") }));

        Assert.Contains("Issuer__Keys__KeyEncryptionKey", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_derived_for_different_purposes_differ_and_depend_on_the_key_encryption_key()
    {
        var kek = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(new LocalKeyProtector(kek).DeriveKey("a"), new LocalKeyProtector(kek).DeriveKey("a"));
        Assert.NotEqual(new LocalKeyProtector(kek).DeriveKey("a"), new LocalKeyProtector(kek).DeriveKey("b"));
        Assert.NotEqual(new LocalKeyProtector(kek).DeriveKey("a"), new LocalKeyProtector(RandomNumberGenerator.GetBytes(32)).DeriveKey("a"));
    }

    [Fact]
    public void A_protected_private_key_round_trips_and_refuses_tampering_or_another_keys_row()
    {
        var protector = new LocalKeyProtector(RandomNumberGenerator.GetBytes(32));
        var secret = RandomNumberGenerator.GetBytes(138);

        var stored = protector.Protect(secret, "kid-1", "RHQ");

        Assert.Equal(secret, protector.Unprotect(stored, "kid-1", "RHQ"));
        Assert.False(stored.AsSpan().IndexOf(secret.AsSpan(0, 16)) >= 0);
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "kid-2", "RHQ"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "kid-1", "RXX"));
        stored[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(stored, "kid-1", "RHQ"));
        Assert.ThrowsAny<CryptographicException>(() => new LocalKeyProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(protector.Protect(secret, "k", "R"), "k", "R"));
    }
}
