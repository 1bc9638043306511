using System.Text.Json.Nodes;
using static Passport.Host.FirstRun;

namespace Passport.Host;

internal sealed record DemoPerson(JsonObject Record, IReadOnlyList<(string Type, JsonObject Claims)> Credentials);

/// <summary>Staff of the demo home trust, with the checks, registration and training HR would hold for them. Dates are relative to today.</summary>
internal static class DemoStaff
{
    public const string NursingGroup = "Nursing and Midwifery Registered";
    public const string SupportGroup = "Additional Clinical Services";

    public static IReadOnlyList<DemoPerson> All(DateOnly today) =>
    [
        new(Record("Amara", "Okafor", "1990-04-01", "10234567", NursingGroup, "Staff Nurse", ("NMC", "12A3456E", today.AddDays(200))),
        [
            ("identity", Identity(today)),
            ("employment", Employment(today, "Band 5")),
            ("right-to-work", new JsonObject { ["right_to_work_status"] = "unlimited", ["basis"] = "british_passport", ["checked_on"] = Day(today.AddDays(-1200)) }),
            ("professional-registration", new JsonObject { ["register"] = "NMC" }),
            ("dbs", Dbs(today.AddDays(-400), updateServiceCheckedOn: null)),
            ("training", Training(today, "fire_safety", "1")),
            ("training", Training(today, "safeguarding_adults", "2")),
            ("training", Training(today, "infection_prevention_control", "2")),
            ("occupational-health", OccupationalHealth(today)),
        ]),
        new(Record("Daniel", "Price", "1985-09-12", "10234568", NursingGroup, "Charge Nurse", ("NMC", "85C1234D", today.AddDays(300))),
        [
            ("identity", Identity(today)),
            ("employment", Employment(today, "Band 6")),
            ("right-to-work", new JsonObject
            {
                ["right_to_work_status"] = "time_limited", ["basis"] = "share_code", ["expires_on"] = Day(today.AddDays(700)), ["checked_on"] = Day(today.AddDays(-90)),
            }),
            ("professional-registration", new JsonObject { ["register"] = "NMC" }),
            // Issued five years ago, but on the Update Service and checked this month.
            ("dbs", Dbs(today.AddYears(-5), updateServiceCheckedOn: today.AddDays(-10))),
            ("training", Training(today, "fire_safety", "1")),
            ("occupational-health", OccupationalHealth(today)),
        ]),
        new(Record("Grace", "Mensah", "1996-01-20", "10234569", SupportGroup, "Healthcare Assistant", null),
        [
            ("identity", Identity(today)),
            ("right-to-work", new JsonObject { ["right_to_work_status"] = "unlimited", ["basis"] = "eu_settlement_scheme", ["checked_on"] = Day(today.AddDays(-500)) }),
            ("dbs", Dbs(today.AddDays(-200), updateServiceCheckedOn: null)),
            ("training", Training(today, "fire_safety", "1")),
            ("training", Training(today, "moving_handling", "2")),
            ("occupational-health", OccupationalHealth(today)),
        ]),
    ];

    private static JsonObject Record(string given, string family, string dob, string assignment, string group, string job, (string Register, string Number, DateOnly ExpiresOn)? registration)
    {
        var record = new JsonObject
        {
            ["givenName"] = given, ["familyName"] = family, ["dateOfBirth"] = dob, ["assignmentNumber"] = assignment, ["staffGroup"] = group,
            ["jobTitle"] = job, ["subject"] = $"{given.ToLowerInvariant()}.{family.ToLowerInvariant()}@northgate.example",
        };
        if (registration is { } r)
        {
            record["registrations"] = new JsonArray(new JsonObject
            {
                ["register"] = r.Register, ["number"] = r.Number, ["status"] = "registered", ["expiresOn"] = Day(r.ExpiresOn),
            });
        }
        return record;
    }

    private static JsonObject Identity(DateOnly today) => new()
    {
        ["check_method"] = "in_person", ["gpg45_profile"] = "M1B", ["confidence_level"] = "medium", ["checked_on"] = Day(today.AddDays(-400)),
        ["checked_by"] = "Northgate HR recruitment team",
    };

    private static JsonObject Employment(DateOnly today, string band) => new() { ["pay_band"] = band, ["start_date"] = Day(today.AddDays(-1200)) };

    private static JsonObject Dbs(DateOnly issuedOn, DateOnly? updateServiceCheckedOn)
    {
        var claims = new JsonObject
        {
            ["level"] = "enhanced", ["barred_list_adults"] = true, ["barred_list_children"] = true, ["certificate_number"] = "001234567890",
            ["issued_on"] = Day(issuedOn), ["update_service"] = updateServiceCheckedOn is not null,
        };
        if (updateServiceCheckedOn is { } checkedOn)
            claims["update_service_checked_on"] = Day(checkedOn);
        return claims;
    }

    private static JsonObject Training(DateOnly today, string subject, string level) => new()
    {
        ["subject"] = subject, ["level"] = level, ["completed_on"] = Day(today.AddDays(-60)), ["provider"] = "Northgate Learning Hub",
    };

    private static JsonObject OccupationalHealth(DateOnly today) => new()
    {
        ["clearance"] = "cleared", ["epp_clearance"] = "not_assessed", ["assessed_on"] = Day(today.AddDays(-300)),
        ["immunisations"] = new JsonArray(
            new JsonObject { ["disease"] = "hepatitis_b", ["immunity"] = "immune" },
            new JsonObject { ["disease"] = "measles", ["immunity"] = "vaccinated", ["recorded_on"] = Day(today.AddDays(-900)) },
            new JsonObject { ["disease"] = "varicella", ["immunity"] = "immune" }),
    };
}

/// <summary>
/// The host trust's agreement: a registered nurse needs an enhanced DBS with both barred lists (issued within 3 years, or
/// checked on the Update Service within 30 days), the right to work through the deployment, fire safety training valid on
/// its first day, an active NMC registration and occupational health clearance; a healthcare assistant the same without
/// the registration.
/// </summary>
internal static class DemoAgreement
{
    public const string NurseRole = "registered_nurse";
    public const string AssistantRole = "healthcare_assistant";

    public static JsonObject Json(IReadOnlyDictionary<string, string> vcts, DateOnly today) => new()
    {
        ["title"] = AgreementTitle,
        ["parties"] = new JsonArray(HostOds, HomeOds),
        ["startsOn"] = Day(today.AddDays(-30)),
        ["endsOn"] = Day(today.AddYears(2)),
        ["staffGroups"] = new JsonArray(DemoStaff.NursingGroup, DemoStaff.SupportGroup),
        ["maxDeploymentDays"] = 90,
        ["homeApprovalRequired"] = false,
        ["roles"] = new JsonArray(
            Role(NurseRole, [Dbs(vcts), RightToWork(vcts), FireSafety(vcts), Registration(vcts), OccupationalHealth(vcts)]),
            Role(AssistantRole, [Dbs(vcts), RightToWork(vcts), FireSafety(vcts), OccupationalHealth(vcts)])),
    };

    private static JsonObject Role(string role, JsonObject[] requirements) => new() { ["role"] = role, ["requirements"] = new JsonArray([.. requirements]) };

    private static JsonObject Dbs(IReadOnlyDictionary<string, string> vcts) => Requirement("dbs", vcts["dbs"], "Enhanced DBS with adults' and children's barred lists",
        Claim("level", "enhanced"),
        new JsonObject { ["allTrue"] = new JsonArray(new JsonArray("barred_list_adults"), new JsonArray("barred_list_children")) },
        new JsonObject
        {
            ["anyOf"] = new JsonArray(
                new JsonObject { ["date"] = new JsonArray("issued_on"), ["within"] = "P3Y" },
                new JsonObject { ["date"] = new JsonArray("update_service_checked_on"), ["within"] = "P30D", ["of"] = "today" }),
        });

    private static JsonObject RightToWork(IReadOnlyDictionary<string, string> vcts) => Requirement("right_to_work", vcts["right-to-work"], "Right to work through the deployment",
        new JsonObject
        {
            ["anyOf"] = new JsonArray(
                Claim("right_to_work_status", "unlimited"),
                new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "end" }),
        });

    private static JsonObject FireSafety(IReadOnlyDictionary<string, string> vcts) => Requirement("fire_safety", vcts["training"], "Fire safety training valid on the first day",
        Claim("subject", "fire_safety"),
        new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "start" });

    private static JsonObject Registration(IReadOnlyDictionary<string, string> vcts) => Requirement("registration", vcts["professional-registration"], "Active NMC registration",
        Claim("register", "NMC"),
        Claim("registration_status", "registered"));

    private static JsonObject OccupationalHealth(IReadOnlyDictionary<string, string> vcts) => Requirement("occupational_health", vcts["occupational-health"], "Occupational health clearance",
        new JsonObject { ["claim"] = new JsonArray("clearance"), ["oneOf"] = new JsonArray("cleared", "cleared_with_adjustments") });

    private static JsonObject Requirement(string id, string vct, string description, params JsonObject[] conditions) => new()
    {
        ["id"] = id, ["vct"] = vct, ["description"] = description, ["conditions"] = new JsonArray([.. conditions]),
    };

    private static JsonObject Claim(string name, string value) => new() { ["claim"] = new JsonArray(name), ["equals"] = value };
}
