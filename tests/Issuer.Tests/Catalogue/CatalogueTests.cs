using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Catalogue;

/// <summary>The catalogue's own rules: input checks naming each field, defaults, expiry and disclosure frames.</summary>
public sealed class CatalogueTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static IssueContext Context(StaffMember? staff = null) => new(
        new Organisation { OdsCode = "RHQ", Name = "Test Trust", CreatedAt = Now },
        staff ?? new StaffMember
        {
            OdsCode = "RHQ", GivenName = "Amara", FamilyName = "Okafor", DateOfBirth = new DateOnly(1990, 4, 1), AssignmentNumber = "12345678-1", CreatedAt = Now,
            Registrations = [new ProfessionalRegistration { Register = "GMC", Number = "1234567", ExpiresOn = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(100) }],
        },
        Now, "hr-user-1", new CatalogueOptions());

    private static CredentialType Type(string key) => CredentialCatalogue.Find(key) ?? throw new InvalidOperationException(key);

    [Fact]
    public void The_catalogue_has_every_type_in_the_design()
    {
        Assert.Equal(Samples.Types.Order(StringComparer.Ordinal), CredentialCatalogue.Types.Select(t => t.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_claim_uses_a_name_that_SD_JWT_VC_registers()
    {
        string[] registered = ["iss", "nbf", "exp", "iat", "cnf", "vct", "status", "sub", "_sd", "_sd_alg", "..."];
        foreach (var type in CredentialCatalogue.Types)
        {
            foreach (var field in type.Fields)
                Assert.DoesNotContain(field.Name, registered);
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Every_type_builds_a_valid_sample_with_its_provenance_and_a_future_expiry(string key)
    {
        var (claims, expiresAt, errors) = Type(key).Build(Samples.Claims(key), null, Context());

        Assert.Equal(0, errors.Count);
        Assert.NotNull(claims);
        Assert.True(expiresAt > Now);
        var provenance = claims["provenance"]!.AsObject();
        Assert.Equal(["assurance_policy", "last_refreshed", "method", "origin_system", "verified_by"], provenance.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("hr-user-1", (string?)provenance["verified_by"]);
        // The default frame only names claims that are present, so the issuer accepts it.
        var frame = Type(key).FrameFor(claims);
        Assert.All(frame.Claims, c => Assert.True(claims.ContainsKey(c)));
    }

    public static TheoryData<string> AllTypes() => [.. Samples.Types];

    public static TheoryData<string, string, string[]> BadInputs() => new()
    {
        { "identity", "{}", ["claims.check_method", "claims.checked_by", "claims.checked_on", "claims.confidence_level"] },
        { "identity", """{"check_method":"telepathy","gpg45_profile":"Z9","confidence_level":"medium","checked_on":"2025-13-01","checked_by":"HR","given_name":"X"}""", ["claims.check_method", "claims.checked_on", "claims.given_name", "claims.gpg45_profile"] },
        { "employment", """{"job_title":"","start_date":"2024-01-01"}""", ["claims.job_title"] },
        { "employment", """{"job_title":"Nurse","start_date":"2024-01-01","end_date":"2023-12-31"}""", ["claims.end_date"] },
        { "right-to-work", """{"right_to_work_status":"time_limited","basis":"visa","checked_on":"2025-01-01"}""", ["claims.expires_on"] },
        { "right-to-work", """{"right_to_work_status":"forever","basis":5,"checked_on":"tomorrow","status":"x"}""", ["claims.basis", "claims.checked_on", "claims.right_to_work_status", "claims.status"] },
        { "professional-registration", """{"register":"NMC","registration_number":"1234567"}""", ["claims.registration_number"] },
        { "professional-registration", """{"register":"GMC","registration_number":"12A3456B"}""", ["claims.registration_number"] },
        { "professional-registration", """{"register":"HCPC","registration_number":"12345"}""", ["claims.registration_number"] },
        { "professional-registration", """{"register":"XYZ"}""", ["claims.register"] },
        { "professional-registration", """{"register":"NMC"}""", ["claims.registration_number"] },
        { "references", """{"employment_history_checked":"yes","references_received":99,"checked_on":"2025-01-01"}""", ["claims.employment_history_checked", "claims.references_received"] },
        { "dbs", """{"level":"enhanced","certificate_number":"123","issued_on":"2025-01-01"}""", ["claims.certificate_number"] },
        { "dbs", """{"level":"standard","barred_list_adults":true,"certificate_number":"001234567890","issued_on":"2025-01-01"}""", ["claims.barred_list_adults"] },
        { "dbs", """{"level":"enhanced","certificate_number":"001234567890","issued_on":"2025-01-01","update_service":true}""", ["claims.update_service_checked_on"] },
        { "occupational-health", """{"clearance":"cleared","assessed_on":"2025-01-01","immunisations":[{"disease":"Hep B!","immunity":"immune"},"x",{"immunity":"maybe"}]}""", ["claims.immunisations[0].disease", "claims.immunisations[1]", "claims.immunisations[2].disease", "claims.immunisations[2].immunity"] },
        { "training", """{"subject":"basket_weaving","completed_on":"2025-02-30"}""", ["claims.completed_on", "claims.subject"] },
        { "training", """{"subject":"fire_safety","completed_on":"2020-01-01","expires_on":"2021-01-01"}""", ["claims.expires_on"] },
        { "training", """{"subject":"fire_safety","completed_on":"2025-01-01","expires_on":"2024-12-31"}""", ["claims.expires_on"] },
        { "competency", """{"code":"bad code!","title":"Cannulation","assessed_on":"2025-01-01"}""", ["claims.assessor", "claims.code"] },
        { "placement", """{"department":"ED","start_date":"2026-01-10","end_date":"2026-01-09"}""", ["claims.end_date"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_names_each_bad_field(string key, string input, string[] fields)
    {
        var (claims, _, errors) = Type(key).Build(JsonNode.Parse(input)!.AsObject(), null, Context());

        Assert.Null(claims);
        Assert.Equal(fields, errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_future_completion_date_and_bad_provenance_are_named()
    {
        var input = Samples.Claims("training");
        input["completed_on"] = Today(10);
        var provenance = new JsonObject { ["assurance_policy"] = "ISO9001", ["colour"] = "red" };

        var (_, _, errors) = Type("training").Build(input, provenance, Context());

        Assert.Equal(["claims.completed_on", "provenance.assurance_policy", "provenance.colour"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Training_without_an_expiry_date_expires_after_its_subjects_renewal_period()
    {
        var completed = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-30);
        var options = new CatalogueOptions { TrainingRenewalMonths = { ["fire_safety"] = 24 } };
        var input = new JsonObject { ["subject"] = "fire_safety", ["completed_on"] = completed.ToString("yyyy-MM-dd", null) };

        var (claims, expiresAt, _) = Type("training").Build(input, null, Context() with { Options = options });

        var expected = completed.AddMonths(24);
        Assert.Equal(expected.ToString("yyyy-MM-dd", null), (string?)claims!["expires_on"]);
        Assert.Equal(new DateTimeOffset(expected.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), expiresAt);
    }

    [Fact]
    public void Training_expires_when_the_training_does()
    {
        var input = Samples.Claims("training");
        input["expires_on"] = Today(90);

        var (_, expiresAt, _) = Type("training").Build(input, null, Context());

        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(91).ToDateTime(TimeOnly.MinValue), expiresAt.UtcDateTime);
    }

    [Fact]
    public void A_dbs_check_lasts_three_years_from_issue_unless_it_is_on_the_update_service()
    {
        var issued = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-100);
        var checkedOn = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-10);
        var plain = Samples.Claims("dbs");
        plain["issued_on"] = issued.ToString("yyyy-MM-dd", null);
        var onUpdateService = plain.DeepClone().AsObject();
        onUpdateService["update_service"] = true;
        onUpdateService["update_service_checked_on"] = checkedOn.ToString("yyyy-MM-dd", null);

        var (_, plainExpiry, _) = Type("dbs").Build(plain, null, Context());
        var (_, updateExpiry, _) = Type("dbs").Build(onUpdateService, null, Context());

        Assert.Equal(issued.AddMonths(36), DateOnly.FromDateTime(plainExpiry.UtcDateTime));
        Assert.Equal(checkedOn.AddMonths(12), DateOnly.FromDateTime(updateExpiry.UtcDateTime));
    }

    [Fact]
    public void Identity_and_employment_facts_come_from_the_staff_and_organisation_records()
    {
        var (identity, _, _) = Type("identity").Build(Samples.Claims("identity"), null, Context());
        var (employment, _, _) = Type("employment").Build(new JsonObject { ["start_date"] = Today(-10) }, null,
            Context(new StaffMember { OdsCode = "RHQ", GivenName = "A", FamilyName = "B", DateOfBirth = new DateOnly(1980, 1, 1), AssignmentNumber = "999-1", JobTitle = "Porter", CreatedAt = Now }));

        Assert.Equal("Amara", (string?)identity!["given_name"]);
        Assert.Equal("1990-04-01", (string?)identity["birth_date"]);
        Assert.Equal("RHQ", (string?)employment!["employer_ods_code"]);
        Assert.Equal("999-1", (string?)employment["assignment_number"]);
        Assert.Equal("Porter", (string?)employment["job_title"]);
    }

    [Fact]
    public void A_registration_is_taken_from_the_staff_record_when_only_the_register_is_given()
    {
        var (claims, _, errors) = Type("professional-registration").Build(new JsonObject { ["register"] = "GMC" }, null, Context());

        Assert.Equal(0, errors.Count);
        Assert.Equal("1234567", (string?)claims!["registration_number"]);
        Assert.Equal("registered", (string?)claims["registration_status"]);
        Assert.Equal(Today(100), (string?)claims["expires_on"]);
    }

    [Fact]
    public void Occupational_health_claims_and_each_immunisation_are_separately_disclosable()
    {
        var (claims, _, _) = Type("occupational-health").Build(Samples.Claims("occupational-health"), null, Context());

        var frame = Type("occupational-health").FrameFor(claims!);

        Assert.Equal(["assessed_on", "clearance", "epp_clearance", "immunisations"], frame.Claims.Order(StringComparer.Ordinal));
        Assert.Equal([0, 1, 2], frame.Nested["immunisations"].Elements.Order());
        Assert.DoesNotContain("provenance", frame.Claims);
    }

    [Fact]
    public void The_frame_leaves_out_optional_claims_that_are_absent()
    {
        var input = new JsonObject { ["clearance"] = "cleared", ["assessed_on"] = Today(-1) };
        var (claims, _, _) = Type("occupational-health").Build(input, null, Context());

        var frame = Type("occupational-health").FrameFor(claims!);

        Assert.Equal(["assessed_on", "clearance"], frame.Claims.Order(StringComparer.Ordinal));
        Assert.Empty(frame.Nested);
    }
}
