using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Passport.Issuer.Staff;

namespace Passport.Issuer.Catalogue;

/// <summary>Every credential type Passport issues (DESIGN.md, "Credential catalogue"). Each carries a provenance block.</summary>
internal static partial class CredentialCatalogue
{
    public static readonly string[] CstfSubjects =
    [
        "conflict_resolution", "equality_diversity_human_rights", "fire_safety", "health_safety_welfare",
        "infection_prevention_control", "information_governance", "moving_handling", "preventing_radicalisation",
        "resuscitation", "safeguarding_adults", "safeguarding_children",
    ];

    public static IReadOnlyList<CredentialType> Types { get; } =
    [
        Identity(), Employment(), RightToWork(), ProfessionalRegistration(), References(), Dbs(), OccupationalHealth(), Training(),
        Competency(), Placement(),
    ];

    public static CredentialType? Find(string? key) => Types.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.Ordinal));

    public static string TypeList => string.Join(", ", Types.Select(t => t.Key));

    public static string VctFor(IssuerOptions issuer, CatalogueOptions catalogue, string key)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(catalogue);
        var root = catalogue.VctBaseUrl ?? new Uri(issuer.PublicBaseUrl, "vct/");
        return new Uri(root, key).ToString();
    }

    private static CredentialType Identity() => new()
    {
        Key = "identity",
        Name = "Identity",
        Description = "Who the member of staff is, and how their identity was checked (NHS Employment Check Standards: identity checks).",
        AssurancePolicy = "GPG45",
        DefaultMethod = "identity_check",
        DefaultOriginSystem = "ESR",
        Fields =
        [
            new() { Name = "given_name", Label = "Given name", Required = true, Sd = Disclosability.Always, FromRecord = c => c.Staff.GivenName },
            new() { Name = "family_name", Label = "Family name", Required = true, Sd = Disclosability.Always, FromRecord = c => c.Staff.FamilyName },
            new() { Name = "birth_date", Label = "Date of birth", Required = true, Sd = Disclosability.Always, FromRecord = c => Iso(c.Staff.DateOfBirth) },
            new() { Name = "check_method", Label = "Check method", Kind = ClaimKind.Choice, Required = true, Choices = ["in_person", "remote_video", "digital_identity_service", "document_validation_technology"] },
            new() { Name = "gpg45_profile", Label = "GPG45 profile", Pattern = Gpg45Profile(), PatternHint = "A GPG45 profile is a confidence letter, a digit and a letter, for example M1B.", MaxLength = 3 },
            new() { Name = "confidence_level", Label = "Confidence level", Kind = ClaimKind.Choice, Required = true, Choices = ["low", "medium", "high", "very_high"] },
            new() { Name = "checked_on", Label = "Checked on", Kind = ClaimKind.Date, Required = true, NotInFuture = true },
            new() { Name = "checked_by", Label = "Checked by", Required = true },
        ],
        ExpiryRule = "The identity check's date plus the identity validity period (default 60 months).",
        Expires = (claims, c) => Expiry.MonthsAfter(Date(claims, "checked_on"), c.Options.MonthsFor("identity"), "checked_on"),
    };

    private static CredentialType Employment() => new()
    {
        Key = "employment",
        Name = "Employment",
        Description = "The member of staff's employment: employer, assignment, job and pay band.",
        AssurancePolicy = "local",
        DefaultMethod = "employment_record",
        DefaultOriginSystem = "ESR",
        Fields =
        [
            new() { Name = "employer_ods_code", Label = "Employer ODS code", Required = true, FromRecord = c => c.Organisation.OdsCode },
            new() { Name = "employer_name", Label = "Employer", Required = true, FromRecord = c => c.Organisation.Name },
            new() { Name = "assignment_number", Label = "Assignment number", Required = true, Sd = Disclosability.Always, FromRecord = c => c.Staff.AssignmentNumber },
            new() { Name = "job_title", Label = "Job title", Required = true, Default = (c, _) => c.Staff.JobTitle, Description = "Defaults to the staff record's job title." },
            new() { Name = "staff_group", Label = "Staff group", MaxLength = 100, Default = (c, _) => c.Staff.StaffGroup, Description = "Defaults to the staff record's staff group." },
            new() { Name = "pay_band", Label = "Pay band", MaxLength = 30, Sd = Disclosability.Always },
            new() { Name = "start_date", Label = "Start date", Kind = ClaimKind.Date, Required = true },
            new() { Name = "end_date", Label = "End date", Kind = ClaimKind.Date },
        ],
        Rules = [NotBefore("end_date", "start_date")],
        ExpiryRule = "The end date when there is one within the employment validity period (default 12 months from issue); otherwise the end of that period, so it is refreshed.",
        Expires = (claims, c) =>
        {
            var refresh = Expiry.MonthsAfter(c.Today, c.Options.MonthsFor("employment"), "end_date");
            return OptionalDate(claims, "end_date") is { } end && Expiry.Through(end, "end_date").At < refresh.At ? Expiry.Through(end, "end_date") : refresh;
        },
    };

    private static CredentialType RightToWork() => new()
    {
        Key = "right-to-work",
        Name = "Right to work",
        Description = "The member of staff's right to work in the UK, and when it was checked (NHS Employment Check Standards: right to work checks).",
        AssurancePolicy = "local",
        DefaultMethod = "right_to_work_check",
        Fields =
        [
            new() { Name = "right_to_work_status", Label = "Right to work", Kind = ClaimKind.Choice, Required = true, Sd = Disclosability.Always, Choices = ["unlimited", "time_limited"] },
            new() { Name = "basis", Label = "Basis", Required = true, MaxLength = 100, Sd = Disclosability.Always, Description = "The evidence, for example british_passport, share_code, eu_settlement_scheme, visa." },
            new() { Name = "expires_on", Label = "Expires on", Kind = ClaimKind.Date, Description = "Required for a time-limited right to work." },
            new() { Name = "checked_on", Label = "Checked on", Kind = ClaimKind.Date, Required = true, NotInFuture = true },
        ],
        Rules =
        [
            (claims, _) => (string?)claims["right_to_work_status"] switch
            {
                "time_limited" when !claims.ContainsKey("expires_on") => ("expires_on", "A time-limited right to work needs the date it ends."),
                "unlimited" when claims.ContainsKey("expires_on") => ("expires_on", "An unlimited right to work has no end date; leave expires_on out or choose time_limited."),
                _ => null,
            },
        ],
        ExpiryRule = "A time-limited right to work: its end date. Unlimited: the right-to-work validity period (default 36 months) from issue.",
        Expires = (claims, c) => OptionalDate(claims, "expires_on") is { } end
            ? Expiry.Through(end, "expires_on")
            : Expiry.MonthsAfter(c.Today, c.Options.MonthsFor("right-to-work"), "checked_on"),
    };

    private static CredentialType ProfessionalRegistration() => new()
    {
        Key = "professional-registration",
        Name = "Professional registration",
        Description = "Registration with a professional regulator (GMC, NMC, HCPC, ...) and its status (NHS Employment Check Standards: professional registration).",
        AssurancePolicy = "local",
        DefaultMethod = "register_check",
        DefaultOriginSystem = "professional_register",
        Fields =
        [
            new() { Name = "register", Label = "Register", Kind = ClaimKind.Choice, Required = true, Choices = ProfessionalRegisters.Names },
            new() { Name = "registration_number", Label = "Registration number", Required = true, MaxLength = 20, Default = (c, claims) => RegistrationOf(c, claims)?.Number, Description = "Defaults to the staff record's registration on the same register." },
            new() { Name = "registration_status", Label = "Registration status", Kind = ClaimKind.Choice, Required = true, Choices = ProfessionalRegisters.Statuses, Default = (c, claims) => RegistrationOf(c, claims)?.Status ?? "registered" },
            new() { Name = "expires_on", Label = "Renewal or revalidation date", Kind = ClaimKind.Date, Default = (c, claims) => RegistrationOf(c, claims)?.ExpiresOn is { } d ? Iso(d) : null },
            new() { Name = "conditions", Label = "Conditions", MaxLength = 1000, Sd = Disclosability.Always },
        ],
        Rules =
        [
            (claims, _) => ProfessionalRegisters.CheckNumber((string)claims["register"]!, (string)claims["registration_number"]!) is { } error ? ("registration_number", error) : null,
            (claims, _) => (string?)claims["registration_status"] is "suspended" or "lapsed" or "removed"
                ? ("registration_status", "Only a current registration is issued as a credential; record the change on the staff record instead.")
                : null,
        ],
        ExpiryRule = "The renewal or revalidation date when there is one within the registration validity period (default 12 months from issue); otherwise the end of that period.",
        Expires = (claims, c) =>
        {
            var refresh = Expiry.MonthsAfter(c.Today, c.Options.MonthsFor("professional-registration"), "expires_on");
            return OptionalDate(claims, "expires_on") is { } end && Expiry.Through(end, "expires_on").At < refresh.At ? Expiry.Through(end, "expires_on") : refresh;
        },
    };

    private static CredentialType References() => new()
    {
        Key = "references",
        Name = "Employment history and references",
        Description = "That employment history and references were checked (NHS Employment Check Standards: employment history and reference checks).",
        AssurancePolicy = "local",
        DefaultMethod = "reference_check",
        Fields =
        [
            new() { Name = "employment_history_checked", Label = "Employment history checked", Kind = ClaimKind.Flag, Required = true },
            new() { Name = "references_received", Label = "References received", Kind = ClaimKind.Number, Required = true, Min = 0, Max = 20 },
            new() { Name = "years_covered", Label = "Years covered", Kind = ClaimKind.Number, Min = 0, Max = 50 },
            new() { Name = "checked_on", Label = "Checked on", Kind = ClaimKind.Date, Required = true, NotInFuture = true },
            new() { Name = "checked_by", Label = "Checked by" },
        ],
        ExpiryRule = "The check's date plus the references validity period (default 36 months).",
        Expires = (claims, c) => Expiry.MonthsAfter(Date(claims, "checked_on"), c.Options.MonthsFor("references"), "checked_on"),
    };

    private static CredentialType Dbs() => new()
    {
        Key = "dbs",
        Name = "DBS check",
        Description = "A Disclosure and Barring Service check: level, barred lists, certificate and Update Service status (NHS Employment Check Standards: criminal record checks).",
        AssurancePolicy = "local",
        DefaultMethod = "dbs_certificate_check",
        DefaultOriginSystem = "DBS",
        Fields =
        [
            new() { Name = "level", Label = "Level", Kind = ClaimKind.Choice, Required = true, Choices = ["basic", "standard", "enhanced"] },
            new() { Name = "barred_list_adults", Label = "Adults' barred list checked", Kind = ClaimKind.Flag, Required = true, Default = (_, _) => false },
            new() { Name = "barred_list_children", Label = "Children's barred list checked", Kind = ClaimKind.Flag, Required = true, Default = (_, _) => false },
            new() { Name = "certificate_number", Label = "Certificate number", Required = true, Sd = Disclosability.Always, Pattern = DbsCertificate(), PatternHint = "A DBS certificate number is 12 digits." },
            new() { Name = "issued_on", Label = "Issued on", Kind = ClaimKind.Date, Required = true, NotInFuture = true },
            new() { Name = "update_service", Label = "On the Update Service", Kind = ClaimKind.Flag, Required = true, Default = (_, _) => false },
            new() { Name = "update_service_checked_on", Label = "Update Service last checked on", Kind = ClaimKind.Date, NotInFuture = true },
        ],
        Rules =
        [
            (claims, _) => (string?)claims["level"] != "enhanced" && (bool)claims["barred_list_adults"]! ? ("barred_list_adults", "Barred lists are checked only with an enhanced check.") : null,
            (claims, _) => (string?)claims["level"] != "enhanced" && (bool)claims["barred_list_children"]! ? ("barred_list_children", "Barred lists are checked only with an enhanced check.") : null,
            (claims, _) => (bool)claims["update_service"]! && !claims.ContainsKey("update_service_checked_on") ? ("update_service_checked_on", "Give the date of the last Update Service status check.") : null,
            (claims, _) => !(bool)claims["update_service"]! && claims.ContainsKey("update_service_checked_on") ? ("update_service_checked_on", "Only a certificate on the Update Service has Update Service checks.") : null,
            NotBefore("update_service_checked_on", "issued_on"),
        ],
        ExpiryRule = "On the Update Service: the last status check plus the Update Service period (default 12 months). Otherwise: the issue date plus the DBS validity period (default 36 months).",
        Expires = (claims, c) => OptionalDate(claims, "update_service_checked_on") is { } checkedOn
            ? Expiry.MonthsAfter(checkedOn, c.Options.MonthsFor("dbs-update-service"), "update_service_checked_on")
            : Expiry.MonthsAfter(Date(claims, "issued_on"), c.Options.MonthsFor("dbs"), "issued_on"),
    };

    private static CredentialType OccupationalHealth() => new()
    {
        Key = "occupational-health",
        Name = "Occupational health clearance",
        Description = "Occupational health clearance, exposure-prone procedures clearance and immunisations (NHS Employment Check Standards: work health assessments). Special-category data: every claim is selectively disclosable, each immunisation on its own.",
        AssurancePolicy = "local",
        DefaultMethod = "occupational_health_assessment",
        DefaultOriginSystem = "occupational_health",
        Fields =
        [
            new() { Name = "clearance", Label = "Clearance", Kind = ClaimKind.Choice, Required = true, Sd = Disclosability.Always, Choices = ["cleared", "cleared_with_adjustments", "not_cleared"] },
            new() { Name = "epp_clearance", Label = "Exposure-prone procedures clearance", Kind = ClaimKind.Choice, Sd = Disclosability.Always, Choices = ["cleared", "not_cleared", "not_assessed"] },
            new()
            {
                Name = "immunisations", Label = "Immunisations", Kind = ClaimKind.List, Sd = Disclosability.Always, ItemsDisclosable = true, MaxItems = 30,
                Items =
                [
                    new() { Name = "disease", Label = "Disease", Required = true, Pattern = Disease(), PatternHint = "Name the disease in lower case with underscores, for example hepatitis_b, measles, varicella, tuberculosis.", MaxLength = 40 },
                    new() { Name = "immunity", Label = "Immunity", Kind = ClaimKind.Choice, Required = true, Choices = ["immune", "vaccinated", "not_immune", "declined", "exempt"] },
                    new() { Name = "recorded_on", Label = "Recorded on", Kind = ClaimKind.Date, NotInFuture = true },
                ],
            },
            new() { Name = "assessed_on", Label = "Assessed on", Kind = ClaimKind.Date, Required = true, NotInFuture = true, Sd = Disclosability.Always },
            new() { Name = "review_on", Label = "Review due on", Kind = ClaimKind.Date, Sd = Disclosability.Always },
        ],
        Rules = [NotBefore("review_on", "assessed_on")],
        ExpiryRule = "The review date when there is one; otherwise the assessment date plus the occupational health validity period (default 36 months).",
        Expires = (claims, c) => OptionalDate(claims, "review_on") is { } review
            ? Expiry.Through(review, "review_on")
            : Expiry.MonthsAfter(Date(claims, "assessed_on"), c.Options.MonthsFor("occupational-health"), "assessed_on"),
    };

    private static CredentialType Training() => new()
    {
        Key = "training",
        Name = "Statutory and mandatory training",
        Description = "Completion of a Core Skills Training Framework subject. It expires when the training does.",
        AssurancePolicy = "CSTF",
        DefaultMethod = "training_record",
        DefaultOriginSystem = "learning_management_system",
        Fields =
        [
            new() { Name = "subject", Label = "CSTF subject", Kind = ClaimKind.Choice, Required = true, Choices = CstfSubjects },
            new() { Name = "level", Label = "Level", MaxLength = 20 },
            new() { Name = "completed_on", Label = "Completed on", Kind = ClaimKind.Date, Required = true, NotInFuture = true },
            new()
            {
                Name = "expires_on", Label = "Expires on", Kind = ClaimKind.Date, Required = true,
                Description = "Defaults to the completion date plus the subject's renewal period, which the organisation sets.",
                Default = (c, claims) => claims["subject"] is not null && OptionalDate(claims, "completed_on") is { } done
                    ? Iso(done.AddMonths(c.Options.RenewalMonthsFor((string)claims["subject"]!)))
                    : null,
            },
            new() { Name = "provider", Label = "Provider" },
        ],
        Rules = [After("expires_on", "completed_on")],
        ExpiryRule = "The training's own expiry date (completion date plus the subject's renewal period when not given).",
        Expires = (claims, _) => Expiry.Through(Date(claims, "expires_on"), "expires_on"),
    };

    private static CredentialType Competency() => new()
    {
        Key = "competency",
        Name = "Competency",
        Description = "A clinical or professional competency assessed against a framework.",
        AssurancePolicy = "local",
        DefaultMethod = "competency_assessment",
        Fields =
        [
            new() { Name = "code", Label = "Code", Required = true, MaxLength = 50, Pattern = CompetencyCode(), PatternHint = "Letters, digits, '.', '_' and '-' only." },
            new() { Name = "title", Label = "Title", Required = true },
            new() { Name = "level", Label = "Level", MaxLength = 50 },
            new() { Name = "framework", Label = "Framework", MaxLength = 100 },
            new() { Name = "assessed_on", Label = "Assessed on", Kind = ClaimKind.Date, Required = true, NotInFuture = true },
            new() { Name = "assessor", Label = "Assessor", Required = true, Sd = Disclosability.Always },
            new() { Name = "expires_on", Label = "Expires on", Kind = ClaimKind.Date },
        ],
        Rules = [After("expires_on", "assessed_on")],
        ExpiryRule = "The competency's expiry date when given; otherwise the assessment date plus the competency validity period (default 36 months).",
        Expires = (claims, c) => OptionalDate(claims, "expires_on") is { } end
            ? Expiry.Through(end, "expires_on")
            : Expiry.MonthsAfter(Date(claims, "assessed_on"), c.Options.MonthsFor("competency"), "assessed_on"),
    };

    private static CredentialType Placement() => new()
    {
        Key = "placement",
        Name = "Placement",
        Description = "A placement at the host organisation, issued by the host to a visitor from another organisation: where, when, under which agreement, and the licence-to-attend terms.",
        AssurancePolicy = "local",
        DefaultMethod = "placement_agreement",
        Fields =
        [
            new() { Name = "host_ods_code", Label = "Host ODS code", Required = true, FromRecord = c => c.Organisation.OdsCode },
            new() { Name = "host_name", Label = "Host", Required = true, FromRecord = c => c.Organisation.Name },
            new() { Name = "department", Label = "Department", Required = true, MaxLength = 200 },
            new() { Name = "start_date", Label = "Start date", Kind = ClaimKind.Date, Required = true },
            new() { Name = "end_date", Label = "End date", Kind = ClaimKind.Date, Required = true },
            new() { Name = "agreement", Label = "Workforce sharing agreement", MaxLength = 100 },
            new() { Name = "licence_to_attend", Label = "Licence to attend terms", MaxLength = 2000 },
            new() { Name = "home_ods_code", Label = "Home organisation ODS code", Description = "The visitor's employing organisation.", MaxLength = 10 },
            new() { Name = "given_name", Label = "Given name", Description = "The visitor's given name, as their verified credentials disclosed it.", MaxLength = 100, Sd = Disclosability.Always },
            new() { Name = "family_name", Label = "Family name", Description = "The visitor's family name, as their verified credentials disclosed it.", MaxLength = 100, Sd = Disclosability.Always },
        ],
        Rules = [NotBefore("end_date", "start_date")],
        ExpiryRule = "The end of the placement.",
        Expires = (claims, _) => Expiry.Through(Date(claims, "end_date"), "end_date"),
    };

    private static ProfessionalRegistration? RegistrationOf(IssueContext context, JsonObject claims) =>
        claims["register"] is { } register ? context.Staff.Registrations.FirstOrDefault(r => r.Register == (string)register!) : null;

    private static Func<JsonObject, IssueContext, (string, string)?> NotBefore(string later, string earlier) => (claims, _) =>
        OptionalDate(claims, later) is { } l && OptionalDate(claims, earlier) is { } e && l < e ? (later, $"It cannot be before {earlier}.") : null;

    private static Func<JsonObject, IssueContext, (string, string)?> After(string later, string earlier) => (claims, _) =>
        OptionalDate(claims, later) is { } l && OptionalDate(claims, earlier) is { } e && l <= e ? (later, $"It must be after {earlier}.") : null;

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Date(JsonObject claims, string name) =>
        OptionalDate(claims, name) ?? throw new InvalidOperationException($"'{name}' is required and was checked before the expiry rule ran.");

    private static DateOnly? OptionalDate(JsonObject claims, string name) =>
        claims[name] is JsonValue v && v.TryGetValue<string>(out var text) && ClaimField.TryDate(text, out var date) ? date : null;

    [GeneratedRegex("^[LMHV][1-4][A-E]$")]
    private static partial Regex Gpg45Profile();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex DbsCertificate();

    [GeneratedRegex("^[a-z][a-z0-9_]{1,39}$")]
    private static partial Regex Disease();

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex CompetencyCode();
}
