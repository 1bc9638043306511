using System.ComponentModel.DataAnnotations;

namespace Passport.Verifier;

public sealed class VerifierOptions
{
    public const string Section = "Verifier";

    /// <summary>The public https base URL of this service; response_uri, request_uri and client identifiers are built on it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("https://localhost:5002");

    /// <summary>How long a wallet has to answer a presentation request.</summary>
    public TimeSpan RequestLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>This verifier's client identifier for an organisation (the KB-JWT <c>aud</c>).</summary>
    public string ClientIdFor(string odsCode) => new Uri(PublicBaseUrl, $"verifiers/{odsCode}").ToString();
}
