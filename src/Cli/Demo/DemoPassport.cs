using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Passport.Cli.Demo;

/// <summary>The member of staff the demo joins up, and the passport HR issues them: what a registered nurse needs, and more.</summary>
internal static class DemoPassport
{
    public static JsonObject Staff(DateOnly today) => new()
    {
        ["givenName"] = "Ada",
        ["familyName"] = "Demo",
        ["dateOfBirth"] = Day(today.AddYears(-32)),
        // A fresh assignment number each run, so the demo can run again against the same data.
        ["assignmentNumber"] = $"DEMO-{RandomNumberGenerator.GetInt32(1_000_000, 10_000_000)}",
        ["staffGroup"] = "Nursing and Midwifery Registered",
        ["jobTitle"] = "Staff Nurse",
        ["registrations"] = new JsonArray(new JsonObject
        {
            ["register"] = "NMC", ["number"] = "21D4567F", ["status"] = "registered", ["expiresOn"] = Day(today.AddDays(250)),
        }),
    };

    public static IReadOnlyList<(string Type, JsonObject Claims)> Credentials(DateOnly today) =>
    [
        ("identity", new JsonObject
        {
            ["check_method"] = "in_person", ["gpg45_profile"] = "M1B", ["confidence_level"] = "medium", ["checked_on"] = Day(today.AddDays(-300)),
            ["checked_by"] = "Northgate HR recruitment team",
        }),
        ("dbs", new JsonObject
        {
            ["level"] = "enhanced", ["barred_list_adults"] = true, ["barred_list_children"] = true, ["certificate_number"] = "009876543210",
            ["issued_on"] = Day(today.AddDays(-300)), ["update_service"] = false,
        }),
        ("right-to-work", new JsonObject { ["right_to_work_status"] = "unlimited", ["basis"] = "british_passport", ["checked_on"] = Day(today.AddDays(-300)) }),
        ("professional-registration", new JsonObject { ["register"] = "NMC" }),
        ("training", new JsonObject { ["subject"] = "fire_safety", ["level"] = "1", ["completed_on"] = Day(today.AddDays(-30)), ["provider"] = "Northgate Learning Hub" }),
        ("occupational-health", new JsonObject
        {
            ["clearance"] = "cleared", ["epp_clearance"] = "not_assessed", ["assessed_on"] = Day(today.AddDays(-300)),
            ["immunisations"] = new JsonArray(
                new JsonObject { ["disease"] = "hepatitis_b", ["immunity"] = "immune" },
                new JsonObject { ["disease"] = "measles", ["immunity"] = "vaccinated" }),
        }),
    ];

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
