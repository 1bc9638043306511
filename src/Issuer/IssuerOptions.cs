using System.ComponentModel.DataAnnotations;

namespace Passport.Issuer;

public sealed class IssuerOptions
{
    public const string Section = "Issuer";

    /// <summary>The public https base URL of this service; issuer identifiers, status list URIs and offers are built on it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("https://localhost:5001");

    /// <summary>Entries per status list (2 bits each). Large lists hide which credential is whose (draft §12.5).</summary>
    [Range(1024, 16_777_216)]
    public int StatusListSize { get; set; } = 131_072;

    /// <summary>How long a status list token is valid, and the ttl it announces.</summary>
    public TimeSpan StatusListLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan StatusListTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a pre-authorized code stays redeemable.</summary>
    public TimeSpan OfferLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an enrolment code HR issues stays redeemable.</summary>
    public TimeSpan EnrolmentCodeLifetime { get; set; } = TimeSpan.FromDays(7);

    public string IssuerIdFor(string odsCode) => new Uri(PublicBaseUrl, $"issuers/{odsCode}").ToString();

    public string StatusListUri(string odsCode, int listId) => new Uri(PublicBaseUrl, $"status/{odsCode}/{listId}").ToString();
}
