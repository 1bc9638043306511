using System.ComponentModel.DataAnnotations;

namespace Passport.Issuer.Catalogue;

/// <summary>
/// Validity and renewal periods, per credential type and per training subject. Sources disagree on them, so they are
/// settings the issuing organisation can change (<c>Issuer:Catalogue:ValidityMonths:dbs</c>), not code.
/// </summary>
public sealed class CatalogueOptions
{
    public const string Section = "Issuer:Catalogue";

    /// <summary>Where <c>vct</c> values live; defaults to <c>{PublicBaseUrl}vct/</c>, which serves their type metadata.</summary>
    public Uri? VctBaseUrl { get; set; }

    /// <summary>How long a credential of a type stays valid when its facts carry no expiry of their own, from the date they were checked.</summary>
    public Dictionary<string, int> ValidityMonths { get; set; } = new(StringComparer.Ordinal)
    {
        ["identity"] = 60,
        ["employment"] = 12,
        ["right-to-work"] = 36,
        ["professional-registration"] = 12,
        ["references"] = 36,
        ["dbs"] = 36,
        ["dbs-update-service"] = 12,
        ["occupational-health"] = 36,
        ["competency"] = 36,
    };

    /// <summary>Renewal period of a CSTF subject, used when HR gives no expiry date for the training.</summary>
    public Dictionary<string, int> TrainingRenewalMonths { get; set; } = new(StringComparer.Ordinal)
    {
        ["fire_safety"] = 24,
        ["information_governance"] = 12,
        ["resuscitation"] = 12,
        ["safeguarding_adults"] = 36,
        ["safeguarding_children"] = 36,
    };

    [Range(1, 120)]
    public int DefaultTrainingRenewalMonths { get; set; } = 36;

    public int MonthsFor(string key) => ValidityMonths.TryGetValue(key, out var months) && months > 0 ? months : 12;

    public int RenewalMonthsFor(string subject) =>
        TrainingRenewalMonths.TryGetValue(subject, out var months) && months > 0 ? months : DefaultTrainingRenewalMonths;
}
