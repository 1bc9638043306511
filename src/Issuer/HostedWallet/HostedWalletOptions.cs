namespace Passport.Issuer.HostedWallet;

/// <summary>
/// How the hosted wallet reaches a receiving organisation's request and response URIs: the addresses come from whoever
/// made the request link, so the production rules are https only and public addresses only.
/// </summary>
public sealed class HostedWalletOptions
{
    public const string Section = "Issuer:HostedWallet";

    /// <summary>Allows http request and response URIs. Development and tests only; ignored in Production.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allows loopback and private addresses (a verifier in the same process or network). Development and tests only; ignored in Production.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>The whole of one fetch or post.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxRequestObjectBytes { get; set; } = 64 * 1024;

    /// <summary>How long ago HR may say a person consented for the consent to cover a presentation now.</summary>
    public TimeSpan ConsentValidity { get; set; } = TimeSpan.FromDays(30);
}
