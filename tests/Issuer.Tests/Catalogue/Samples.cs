using System.Text.Json.Nodes;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Catalogue;

/// <summary>A valid input for every credential type, with dates relative to today so none has expired.</summary>
internal static class Samples
{
    public static readonly string[] Types =
        ["identity", "employment", "right-to-work", "professional-registration", "references", "dbs", "occupational-health", "training", "competency", "placement"];

    public static JsonObject Claims(string type) => type switch
    {
        "identity" => new() { ["check_method"] = "in_person", ["gpg45_profile"] = "M1B", ["confidence_level"] = "medium", ["checked_on"] = Today(-100), ["checked_by"] = "HR Team" },
        "employment" => new() { ["job_title"] = "Staff Nurse", ["pay_band"] = "Band 5", ["start_date"] = Today(-700) },
        "right-to-work" => new() { ["right_to_work_status"] = "time_limited", ["basis"] = "visa", ["expires_on"] = Today(700), ["checked_on"] = Today(-100) },
        "professional-registration" => new() { ["register"] = "NMC", ["registration_number"] = "12A3456B", ["expires_on"] = Today(200) },
        "references" => new() { ["employment_history_checked"] = true, ["references_received"] = 2, ["years_covered"] = 3, ["checked_on"] = Today(-100) },
        "dbs" => new() { ["level"] = "enhanced", ["barred_list_adults"] = true, ["barred_list_children"] = true, ["certificate_number"] = "001234567890", ["issued_on"] = Today(-100) },
        "occupational-health" => new()
        {
            ["clearance"] = "cleared", ["epp_clearance"] = "not_assessed", ["assessed_on"] = Today(-100),
            ["immunisations"] = new JsonArray(
                new JsonObject { ["disease"] = "hepatitis_b", ["immunity"] = "immune" },
                new JsonObject { ["disease"] = "measles", ["immunity"] = "vaccinated", ["recorded_on"] = Today(-400) },
                new JsonObject { ["disease"] = "varicella", ["immunity"] = "immune" }),
        },
        "training" => new() { ["subject"] = "fire_safety", ["level"] = "1", ["completed_on"] = Today(-30), ["provider"] = "Trust Learning" },
        "competency" => new() { ["code"] = "IV-CANN-01", ["title"] = "Peripheral cannulation", ["assessed_on"] = Today(-30), ["assessor"] = "Sister Jo Bloggs" },
        "placement" => new() { ["department"] = "Emergency Department", ["start_date"] = Today(), ["end_date"] = Today(30), ["agreement"] = "ICS-2026-01" },
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
