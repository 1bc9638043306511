using System.Text.Json;
using System.Text.Json.Nodes;
using Passport.Verifier.Agreements;

namespace Passport.Verifier.Tests.Agreements;

/// <summary>
/// The agreement the tests share: a registered nurse needs an enhanced DBS with both barred lists, issued within 3 years
/// unless the Update Service was checked within 30 days; right to work through the deployment's end; fire safety valid on
/// the start date; active NMC registration; occupational health clearance.
/// </summary>
internal static class SampleAgreement
{
    public const string Role = "registered_nurse";

    public static string Vct(string type) => $"https://passport.test/vct/{type}";

    public static JsonObject Json(string own, string home) => new()
    {
        ["title"] = $"Mutual aid {own}-{home}",
        ["parties"] = new JsonArray(own, home),
        ["startsOn"] = "2020-01-01",
        ["endsOn"] = "2099-12-31",
        ["staffGroups"] = new JsonArray("Nursing and Midwifery Registered"),
        ["maxDeploymentDays"] = 90,
        ["homeApprovalRequired"] = true,
        ["roles"] = new JsonArray(new JsonObject
        {
            ["role"] = Role,
            ["requirements"] = new JsonArray(
                Requirement("dbs", "dbs",
                    Claim("level", "enhanced"),
                    new JsonObject { ["allTrue"] = new JsonArray(new JsonArray("barred_list_adults"), new JsonArray("barred_list_children")) },
                    AnyOf(
                        new JsonObject { ["date"] = new JsonArray("issued_on"), ["within"] = "P3Y" },
                        new JsonObject { ["date"] = new JsonArray("update_service_checked_on"), ["within"] = "P30D", ["of"] = "today" })),
                Requirement("right_to_work", "right-to-work",
                    AnyOf(
                        Claim("right_to_work_status", "unlimited"),
                        new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "end" })),
                Requirement("fire_safety", "training",
                    Claim("subject", "fire_safety"),
                    new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "start" }),
                Requirement("registration", "professional-registration",
                    Claim("register", "NMC"),
                    Claim("registration_status", "registered")),
                Requirement("occupational_health", "occupational-health",
                    new JsonObject { ["claim"] = new JsonArray("clearance"), ["oneOf"] = new JsonArray("cleared", "cleared_with_adjustments") })),
        }),
    };

    public static AgreementDocument Document(JsonObject json) =>
        JsonSerializer.Deserialize<AgreementDocument>(json.ToJsonString(), AgreementJson.Options)!;

    public static AgreementRules Rules(string own = "RXH", string home = "RHQ")
    {
        var rules = AgreementValidation.Validate(Document(Json(own, home)), own, out var errors);
        Assert.True(rules is not null, "The sample agreement should be valid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(' ', e.Value)}")));
        return rules!;
    }

    private static JsonObject Requirement(string id, string type, params JsonObject[] conditions) => new()
    {
        ["id"] = id,
        ["vct"] = Vct(type),
        ["conditions"] = new JsonArray([.. conditions]),
    };

    private static JsonObject Claim(string name, string value) => new() { ["claim"] = new JsonArray(name), ["equals"] = value };

    private static JsonObject AnyOf(params JsonObject[] conditions) => new() { ["anyOf"] = new JsonArray([.. conditions]) };
}

/// <summary>Claims of credentials that meet the sample agreement on <paramref name="today"/>, for a deployment a week later lasting a month.</summary>
internal static class SampleClaims
{
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Dbs(DateOnly today) => new()
    {
        ["level"] = "enhanced",
        ["barred_list_adults"] = true,
        ["barred_list_children"] = true,
        ["certificate_number"] = "001234567890",
        ["issued_on"] = Day(today.AddYears(-1)),
        ["update_service"] = false,
    };

    public static JsonObject RightToWork(DateOnly today) => new()
    {
        ["right_to_work_status"] = "time_limited",
        ["basis"] = "visa",
        ["expires_on"] = Day(today.AddYears(2)),
        ["checked_on"] = Day(today.AddDays(-30)),
    };

    public static JsonObject FireSafety(DateOnly today) => new()
    {
        ["subject"] = "fire_safety",
        ["level"] = "1",
        ["completed_on"] = Day(today.AddDays(-100)),
        ["expires_on"] = Day(today.AddYears(1)),
        ["provider"] = "Test Trust",
    };

    public static JsonObject Registration(DateOnly today) => new()
    {
        ["register"] = "NMC",
        ["registration_number"] = "12A3456E",
        ["registration_status"] = "registered",
        ["expires_on"] = Day(today.AddYears(1)),
    };

    public static JsonObject OccupationalHealth(DateOnly today) => new()
    {
        ["clearance"] = "cleared",
        ["epp_clearance"] = "not_assessed",
        ["assessed_on"] = Day(today.AddMonths(-6)),
    };

    /// <summary>Requirement id, credential type and claims for every requirement of the sample role.</summary>
    public static IReadOnlyList<(string Id, string Type, JsonObject Claims)> All(DateOnly today) =>
    [
        ("dbs", "dbs", Dbs(today)),
        ("right_to_work", "right-to-work", RightToWork(today)),
        ("fire_safety", "training", FireSafety(today)),
        ("registration", "professional-registration", Registration(today)),
        ("occupational_health", "occupational-health", OccupationalHealth(today)),
    ];
}
