using Passport.Issuer.Catalogue;
using Passport.Issuer.Credentials;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Tests.Catalogue;

namespace Passport.Issuer.Tests.Credentials;

/// <summary>Issuance's plan step on its own: what a batch would issue and what it refuses, decided without a database.</summary>
public sealed class IssuePlanTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private static readonly Organisation Trust = new() { OdsCode = "RHQ", Name = "Test Trust", CreatedAt = Now };

    private static StaffMember Person(string given) => new()
    {
        OdsCode = "RHQ", GivenName = given, FamilyName = "Okafor", DateOfBirth = new DateOnly(1990, 4, 1), AssignmentNumber = "12345678-1", CreatedAt = Now,
    };

    private static IssueItem Training(StaffMember staff, string? reference = null, Guid? replaces = null) => new()
    {
        StaffId = staff.Id, Type = "training", Claims = Samples.Claims("training"), SourceReference = reference, Replaces = replaces,
    };

    private static IssuedCredential Issued(StaffMember staff, string type = "training", string? reference = null) => new()
    {
        OdsCode = "RHQ", StaffId = staff.Id, Type = type, Vct = "v", Claims = "{}", SourceReference = reference, StatusListId = 1, StatusIndex = 7,
        IssuedAt = Now, ExpiresAt = Now.AddYears(1), KeyId = "k",
    };

    private static IssueLookups Lookups(
        IEnumerable<StaffMember> staff, IEnumerable<IssuedCredential>? existing = null, IEnumerable<IssuedCredential>? replaced = null, IEnumerable<Guid>? alreadyReplaced = null) =>
        new(Trust, staff.ToDictionary(s => s.Id), (existing ?? []).ToDictionary(c => (c.Type, c.SourceReference!)), (replaced ?? []).ToDictionary(c => c.Id),
            (alreadyReplaced ?? []).ToHashSet());

    private static IssuePlan Plan(IssueItem[] items, IssueLookups lookups) =>
        IssuePlan.Make(items, 0, items.Length, lookups, Now, "hr-user-1", new CatalogueOptions());

    [Fact]
    public void A_plan_issues_valid_items_with_their_built_claims_and_refuses_the_rest_each_by_its_kind()
    {
        var amara = Person("Amara");
        var stranger = Person("Stranger");
        IssueItem[] items =
        [
            Training(amara),
            new() { StaffId = amara.Id, Type = "no-such-type" },
            Training(stranger),
            new() { StaffId = amara.Id, Type = "training", Claims = new() { ["subject"] = "fire_safety" } },
            Training(amara, reference: " padded "),
        ];

        var plan = Plan(items, Lookups([amara]));

        var issued = Assert.Single(plan.ToIssue);
        Assert.Equal(0, issued.Index);
        Assert.Equal("training", issued.Type.Key);
        Assert.True(issued.ExpiresAt > Now);
        Assert.Equal(
            [(1, IssueOutcomeKind.UnknownType, "unknown_credential_type"), (2, IssueOutcomeKind.NotFound, "staff_not_found"),
                (3, IssueOutcomeKind.Invalid, "validation_failed"), (4, IssueOutcomeKind.Invalid, "validation_failed")],
            plan.Decided.Select(o => (o.Index, o.Kind, o.Code!)).ToList());
        Assert.Equal(["invalid", "notfound", "invalid", "invalid"], plan.Decided.Select(o => o.Name));
    }

    [Fact]
    public void A_source_reference_already_issued_or_repeated_in_the_batch_is_existing_for_the_same_person_and_a_conflict_for_another()
    {
        var amara = Person("Amara");
        var ben = Person("Ben");
        var earlier = Issued(amara, reference: "LMS-1");
        IssueItem[] items = [Training(amara, "LMS-1"), Training(ben, "LMS-1"), Training(amara, "LMS-2"), Training(amara, "LMS-2"), Training(ben, "LMS-2")];

        var plan = Plan(items, Lookups([amara, ben], existing: [earlier]));

        Assert.Equal([2], plan.ToIssue.Select(p => p.Index));
        var (repeat, of) = Assert.Single(plan.Repeats);
        Assert.Equal((3, 2), (repeat, of.Index));
        Assert.Equal(
            [(0, IssueOutcomeKind.Existing, (string?)null), (1, IssueOutcomeKind.Conflict, "source_reference_in_use"), (4, IssueOutcomeKind.Conflict, "source_reference_in_use")],
            plan.Decided.Select(o => (o.Index, o.Kind, o.Code)).ToList());
        Assert.Same(earlier, plan.Decided[0].Credential);
    }

    [Fact]
    public void A_re_issue_needs_the_same_person_and_type_and_only_one_replacement()
    {
        var amara = Person("Amara");
        var ben = Person("Ben");
        var training = Issued(amara);
        var dbs = Issued(amara, type: "dbs");
        var replacedBefore = Issued(amara);
        IssueItem[] items =
        [
            Training(amara, replaces: training.Id),
            Training(amara, replaces: training.Id),
            Training(ben, replaces: training.Id),
            Training(amara, replaces: dbs.Id),
            Training(amara, replaces: replacedBefore.Id),
            Training(amara, replaces: Guid.NewGuid()),
        ];

        var plan = Plan(items, Lookups([amara, ben], replaced: [training, dbs, replacedBefore], alreadyReplaced: [replacedBefore.Id]));

        Assert.Equal([0], plan.ToIssue.Select(p => p.Index));
        Assert.Equal(
            [(1, IssueOutcomeKind.Conflict, "already_reissued"), (2, IssueOutcomeKind.NotFound, "credential_not_found"), (3, IssueOutcomeKind.Invalid, "validation_failed"),
                (4, IssueOutcomeKind.Conflict, "already_reissued"), (5, IssueOutcomeKind.NotFound, "credential_not_found")],
            plan.Decided.Select(o => (o.Index, o.Kind, o.Code!)).ToList());
        Assert.Equal(CredentialStatus.Active, training.Status);
    }
}
