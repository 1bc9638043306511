using Microsoft.Extensions.Options;

namespace Passport.Verifier.Trust;

/// <summary>
/// How the Verifier reaches issuers: which ones exist, and the bounds on every outbound fetch (issuer metadata, JWKS,
/// status lists). The defaults are the production rules: https only, public addresses only.
/// </summary>
public sealed class TrustOptions
{
    public const string Section = "Verifier:Trust";

    /// <summary>Allows http URLs. Development and tests only; refused at start-up in Production.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Allows loopback, private, link-local and other non-public addresses (issuer metadata, status lists, webhooks).
    /// Honoured in Development and Testing; in any other environment only with <see cref="PrivateNetworksOutsideDevelopment"/>
    /// as well; never in Production.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Lets <see cref="AllowPrivateNetworks"/> apply in an environment other than Development (a staging site whose issuers
    /// are on a private network). A deliberate second setting, so that an environment name alone never opens private networks.
    /// </summary>
    public bool PrivateNetworksOutsideDevelopment { get; set; }

    public int MaxMetadataBytes { get; set; } = 256 * 1024;

    public int MaxStatusListBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The whole of one fetch: connecting, headers and body.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an issuer's keys are used before they are fetched again.</summary>
    public TimeSpan MetadataCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The shortest time between two fetches of one issuer's keys caused by an unknown <c>kid</c>, so that tokens
    /// naming made-up kids cannot make us hammer an issuer.
    /// </summary>
    public TimeSpan KeyRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a status list is kept when its token carries no <c>ttl</c> (never beyond its <c>exp</c>).</summary>
    public TimeSpan StatusListDefaultCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest a status list is kept, whatever its <c>ttl</c> says. Issuers of this installation tell us of a withdrawal on the
    /// bus at once; for any other issuer this bounds how long a withdrawn credential can still be accepted.
    /// </summary>
    public TimeSpan StatusListMaxCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The Passport Issuer service's public base URL: an organisation with ODS code X issues as <c>{IssuerBaseUrl}issuers/X</c>.
    /// </summary>
    public Uri? IssuerBaseUrl { get; set; }

    /// <summary>Issuer identifiers of organisations that do not use the Passport Issuer service, by ODS code (<c>Verifier:Trust:Issuers:{ODS}</c>).</summary>
    public Dictionary<string, string> Issuers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The issuer identifier of an organisation, or null when none is configured.</summary>
    public string? IssuerIdFor(string odsCode)
    {
        ArgumentNullException.ThrowIfNull(odsCode);
        if (Issuers.TryGetValue(odsCode, out var configured))
            return configured;
        return IssuerBaseUrl is null ? null : new Uri(IssuerBaseUrl, $"issuers/{odsCode.ToUpperInvariant()}").ToString();
    }
}

internal sealed class TrustOptionsValidator(IHostEnvironment environment) : IValidateOptions<TrustOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustOptions options)
    {
        var failures = new List<string>();
        if (environment.IsProduction() && options.AllowHttp)
            failures.Add($"{TrustOptions.Section}:AllowHttp must be false in Production: issuer metadata and status lists are fetched over https only.");
        if (environment.IsProduction() && options.AllowPrivateNetworks)
            failures.Add($"{TrustOptions.Section}:AllowPrivateNetworks must be false in Production: the Verifier never fetches from private or loopback addresses.");
        else if (options.AllowPrivateNetworks && !environment.IsDevelopment() && !environment.IsEnvironment("Testing") && !options.PrivateNetworksOutsideDevelopment)
        {
            failures.Add($"{TrustOptions.Section}:AllowPrivateNetworks is for Development: in {environment.EnvironmentName} private and loopback addresses stay blocked " +
                $"unless {TrustOptions.Section}:PrivateNetworksOutsideDevelopment is also true (a site whose issuers are on a private network).");
        }
        if (options.MaxMetadataBytes is < 1024 or > 16 * 1024 * 1024)
            failures.Add($"{TrustOptions.Section}:MaxMetadataBytes must be between 1 KB and 16 MB.");
        if (options.MaxStatusListBytes is < 1024 or > 64 * 1024 * 1024)
            failures.Add($"{TrustOptions.Section}:MaxStatusListBytes must be between 1 KB and 64 MB.");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(1))
            failures.Add($"{TrustOptions.Section}:Timeout must be more than zero and at most one minute.");
        if (options.MetadataCacheDuration < TimeSpan.Zero || options.KeyRefreshInterval < TimeSpan.Zero || options.StatusListDefaultCacheDuration < TimeSpan.Zero
            || options.StatusListMaxCacheDuration < TimeSpan.Zero)
            failures.Add($"{TrustOptions.Section}: cache durations and the key refresh interval cannot be negative.");
        if (options.IssuerBaseUrl is { } baseUrl && !IsAllowedUrl(baseUrl, options.AllowHttp))
            failures.Add($"{TrustOptions.Section}:IssuerBaseUrl must be an absolute https URL.");
        foreach (var (ods, issuer) in options.Issuers)
        {
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || !IsAllowedUrl(uri, options.AllowHttp))
                failures.Add($"{TrustOptions.Section}:Issuers:{ods} must be an absolute https URL without query or fragment.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsAllowedUrl(Uri uri, bool allowHttp) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp))
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
}
