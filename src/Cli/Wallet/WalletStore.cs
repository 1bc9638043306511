using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Passport.Cli.Api;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Cli.Wallet;

/// <summary>A credential as the wallet keeps it: the issued SD-JWT VC (every disclosure) and where it came from.</summary>
internal sealed record StoredCredential(Guid Id, string Issuer, string ConfigurationId, string Name, DateTimeOffset ReceivedAt, string SdJwt)
{
    public HeldCredential Parse() =>
        HeldCredential.TryParse(SdJwt, out var held, out var error)
            ? held
            : throw new CommandFailedException($"The stored credential {Id} cannot be read ({error?.Code}); remove it and receive it again.");
}

/// <summary>
/// The wallet's folder: the holder key (generated once, a PKCS#8 PEM readable only by its owner) and one file per
/// credential, also owner-only, since credentials carry personal and special-category data.
/// </summary>
internal sealed class WalletStore
{
    public const string KeyFileName = "holder-key.pem";
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public WalletStore(string folder)
    {
        Folder = Path.GetFullPath(folder);
        CreateFolder(Folder);
        CreateFolder(CredentialsFolder);
    }

    public string Folder { get; }
    public string KeyFile => Path.Combine(Folder, KeyFileName);
    private string CredentialsFolder => Path.Combine(Folder, "credentials");

    public static string DefaultFolder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".passport-wallet");

    /// <summary>The holder key: loaded, or generated and written on first use. A key others can read is refused, as ssh does.</summary>
    public EcdsaJwsSigner HolderKey()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(KeyFile))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(KeyFile) & ~OwnerOnlyFile) != 0)
                throw new CommandFailedException($"The holder key {KeyFile} can be read by other users; make it private with: chmod 600 {KeyFile}");
            key.ImportFromPem(File.ReadAllText(KeyFile));
            if (key.KeySize != 256)
                throw new CommandFailedException($"The holder key {KeyFile} is not a P-256 key.");
        }
        else
        {
            WriteOwnerOnly(KeyFile, key.ExportPkcs8PrivateKeyPem(), FileMode.CreateNew);
        }
        var jwk = EcPublicJwk.FromECDsa(key);
        return new EcdsaJwsSigner(key, jwk.Thumbprint());
    }

    public void Add(StoredCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        WriteOwnerOnly(Path.Combine(CredentialsFolder, $"{credential.Id}.json"), JsonSerializer.Serialize(credential, Json), FileMode.Create);
    }

    public IReadOnlyList<StoredCredential> List() =>
        [.. Directory.EnumerateFiles(CredentialsFolder, "*.json")
            .Select(f => JsonSerializer.Deserialize<StoredCredential>(File.ReadAllText(f), Json))
            .OfType<StoredCredential>()
            .OrderBy(c => c.ReceivedAt)];

    private static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(path);
        else if (!Directory.Exists(path))
            Directory.CreateDirectory(path, OwnerOnlyFolder);
    }

    // The mode is set as the file is created, so there is no moment when others could read it.
    private static void WriteOwnerOnly(string path, string content, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnlyFile;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    public static JsonObject PublicJwk(EcdsaJwsSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return signer.PublicJwk.ToJson(includeKid: false);
    }
}
