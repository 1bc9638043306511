using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Passport.Issuer.Keys;

/// <summary>
/// Holds the key-encryption key (KEK) and encrypts with AES-256-GCM what the Issuer keeps secret in its database: local
/// private keys and the Data Protection key ring. Stored form: version (1) || nonce (12) || tag (16) || ciphertext; the
/// associated data names what the ciphertext is (for a private key its kid and ODS code), so a ciphertext copied onto
/// another row does not decrypt. Keys for other purposes (the tx_code digests) are derived from the KEK with HKDF.
/// </summary>
internal sealed class LocalKeyProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly byte[] TestingKek = RandomNumberGenerator.GetBytes(32);

    private readonly byte[] _kek;

    public LocalKeyProtector(IOptions<KeyOptions> options, IHostEnvironment environment)
    {
        _kek = ResolveKek(options.Value, environment);
    }

    internal LocalKeyProtector(byte[] kek) => _kek = kek;

    public byte[] Protect(ReadOnlySpan<byte> pkcs8, string kid, string odsCode) => Seal(pkcs8, AssociatedData(kid, odsCode));

    /// <summary>The PKCS#8 private key. The caller zeroes it once imported.</summary>
    public byte[] Unprotect(byte[] stored, string kid, string odsCode) =>
        Open(stored, AssociatedData(kid, odsCode), $"The stored private key of '{kid}' is not in a format this service reads.");

    /// <summary>A 32-byte key for <paramref name="purpose"/>, derived from the KEK (RFC 5869), so no two uses share a key.</summary>
    public byte[] DeriveKey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _kek, 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));

    public byte[] Seal(ReadOnlySpan<byte> plaintext, byte[] associatedData)
    {
        var output = new byte[1 + NonceSize + TagSize + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize + TagSize), output.AsSpan(1 + NonceSize, TagSize), associatedData);
        return output;
    }

    public byte[] Open(byte[] stored, byte[] associatedData, string formatError)
    {
        if (stored.Length <= 1 + NonceSize + TagSize || stored[0] != FormatVersion)
            throw new CryptographicException(formatError);
        var plaintext = new byte[stored.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_kek, TagSize);
        aes.Decrypt(stored.AsSpan(1, NonceSize), stored.AsSpan(1 + NonceSize + TagSize), stored.AsSpan(1 + NonceSize, TagSize), plaintext, associatedData);
        return plaintext;
    }

    private static byte[] AssociatedData(string kid, string odsCode) => Encoding.UTF8.GetBytes($"passport-signing-key\n{odsCode}\n{kid}");

    internal static bool TryDecodeKek(string? value, out byte[] kek)
    {
        kek = [];
        if (string.IsNullOrWhiteSpace(value))
            return false;
        try
        {
            kek = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        return kek.Length == 32;
    }

    // Development keeps a generated KEK in a file beside its SQLite database so keys survive restarts; Testing
    // uses a fresh one per process because each test host's database is dropped with it. Anywhere else the
    // options validator has already refused to start without a configured KEK.
    private static byte[] ResolveKek(KeyOptions options, IHostEnvironment environment)
    {
        if (TryDecodeKek(options.KeyEncryptionKey, out var configured))
            return configured;
        if (environment.IsEnvironment("Testing"))
            return TestingKek;
        if (!environment.IsDevelopment())
            throw new InvalidOperationException($"{KeyOptions.Section}:KeyEncryptionKey is not set; local signing keys cannot be protected.");
        return ReadOrCreateDevelopmentKek(Path.GetFullPath(options.DevelopmentKeyEncryptionKeyFile));
    }

    private static byte[] ReadOrCreateDevelopmentKek(string path)
    {
        if (File.Exists(path) && TryDecodeKek(File.ReadAllText(path), out var existing))
            return existing;
        Directory.CreateDirectory(Path.GetDirectoryName(path) ?? ".");
        var kek = RandomNumberGenerator.GetBytes(32);
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var writer = new StreamWriter(new FileStream(path, streamOptions));
            writer.Write(Convert.ToBase64String(kek));
            return kek;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return TryDecodeKek(File.ReadAllText(path), out var theirs)
                ? theirs
                : throw new InvalidOperationException($"The development key-encryption key file '{path}' is not base64 of 32 bytes; delete it to generate a new one (development keys encrypted under it are then lost).");
        }
    }
}
