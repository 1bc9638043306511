using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;
using Passport.Verifier.Agreements;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Decisions;

public sealed class RequirementEngineTests
{
    private const string Issuer = "https://passport.test/issuers/RHQ";
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly DateOnly Start = Today.AddDays(7);
    private static readonly DateOnly End = Today.AddDays(37);
    private static readonly RoleRules Role = SampleAgreement.Rules().FindRole(SampleAgreement.Role)!;

    private static List<PresentedCredential> AllValid() =>
        [.. SampleClaims.All(Today).Select((c, i) => Verified(i, c.Id, c.Type, c.Claims))];

    private static PresentedCredential Verified(int index, string? queryId, string type, JsonObject claims, byte status = 0) => new()
    {
        Index = index, QueryId = queryId, Issuer = Issuer, Vct = SampleAgreement.Vct(type), State = CredentialState.Verified, Claims = claims,
        ExpiresAt = Now.AddYears(1), Status = new StatusReference(index, "https://passport.test/status/RHQ/1"), StatusValue = status,
    };

    private static Evaluation EvaluateWith(string requirementId, Func<PresentedCredential, PresentedCredential> change) =>
        RequirementEngine.Evaluate(Role, Start, End, [.. AllValid().Select(p => p.QueryId == requirementId ? change(p) : p)], Now);

    private static Evaluation EvaluateWithClaims(string requirementId, Action<JsonObject> change) =>
        EvaluateWith(requirementId, p =>
        {
            var claims = (JsonObject)p.Claims.DeepClone();
            change(claims);
            return p with { Claims = claims };
        });

    private static RequirementResult Result(Evaluation evaluation, string id) => evaluation.Requirements.Single(r => r.Id == id);

    private static void AssertOnly(Evaluation evaluation, string id, Outcome outcome)
    {
        Assert.False(evaluation.Accepted);
        Assert.Equal(outcome, Result(evaluation, id).Outcome);
        Assert.All(evaluation.Requirements.Where(r => r.Id != id), r => Assert.Equal(Outcome.Met, r.Outcome));
    }

    [Fact]
    public void Credentials_meeting_every_requirement_are_accepted_and_each_names_the_credential_used()
    {
        var evaluation = RequirementEngine.Evaluate(Role, Start, End, AllValid(), Now);

        Assert.True(evaluation.Accepted);
        Assert.Equal(5, evaluation.Requirements.Count);
        Assert.All(evaluation.Requirements, r =>
        {
            Assert.Equal(Outcome.Met, r.Outcome);
            Assert.Equal(r.Id, r.Credential!.QueryId);
            Assert.Equal(Issuer, r.Credential.Issuer);
        });
    }

    [Fact]
    public void Only_the_disclosed_claims_the_rules_read_are_kept()
    {
        var evaluation = RequirementEngine.Evaluate(Role, Start, End, AllValid(), Now);

        var dbs = Result(evaluation, "dbs");
        Assert.Equal(["level", "barred_list_adults", "barred_list_children", "issued_on"], dbs.Claims.Keys.ToArray());
        Assert.DoesNotContain("certificate_number", dbs.Claims.Keys);
        Assert.Equal(["clearance"], Result(evaluation, "occupational_health").Claims.Keys.ToArray());
    }

    [Fact]
    public void A_credential_of_another_type_answering_a_requirements_query_does_not_meet_it()
    {
        // A training credential's expires_on would satisfy right to work's "valid through the end" alternative.
        var evaluation = EvaluateWith("right_to_work", p => Verified(p.Index, "right_to_work", "training", SampleClaims.FireSafety(Today)));

        AssertOnly(evaluation, "right_to_work", Outcome.NotMet);
        var result = Result(evaluation, "right_to_work");
        Assert.Contains(SampleAgreement.Vct("training"), result.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Claims);
    }

    [Fact]
    public void A_credential_of_another_type_is_not_used_even_beside_one_of_the_right_type()
    {
        var presented = AllValid();
        presented.Add(Verified(presented.Count, "right_to_work", "training", SampleClaims.FireSafety(Today)));

        var evaluation = RequirementEngine.Evaluate(Role, Start, End, presented, Now);

        Assert.True(evaluation.Accepted);
        Assert.Equal(SampleAgreement.Vct("right-to-work"), Result(evaluation, "right_to_work").Credential!.Vct);
    }

    [Fact]
    public void A_dbs_check_below_enhanced_is_not_met()
    {
        var evaluation = EvaluateWithClaims("dbs", c => c["level"] = "standard");

        AssertOnly(evaluation, "dbs", Outcome.NotMet);
        Assert.Contains("'level' is \"standard\"", Result(evaluation, "dbs").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dbs_check_without_the_childrens_barred_list_is_not_met()
    {
        var evaluation = EvaluateWithClaims("dbs", c => c["barred_list_children"] = false);

        AssertOnly(evaluation, "dbs", Outcome.NotMet);
        Assert.Contains("barred_list_children", Result(evaluation, "dbs").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dbs_check_issued_more_than_three_years_before_the_start_is_expired()
    {
        AssertOnly(EvaluateWithClaims("dbs", c => c["issued_on"] = SampleClaims.Day(Start.AddYears(-3).AddDays(-1))), "dbs", Outcome.Expired);
    }

    [Fact]
    public void A_dbs_check_issued_exactly_three_years_before_the_start_is_met()
    {
        Assert.True(EvaluateWithClaims("dbs", c => c["issued_on"] = SampleClaims.Day(Start.AddYears(-3))).Accepted);
    }

    [Fact]
    public void An_old_dbs_check_is_met_when_the_update_service_was_checked_within_30_days()
    {
        var evaluation = EvaluateWithClaims("dbs", c =>
        {
            c["issued_on"] = SampleClaims.Day(Today.AddYears(-6));
            c["update_service"] = true;
            c["update_service_checked_on"] = SampleClaims.Day(Today.AddDays(-30));
        });

        Assert.True(evaluation.Accepted);
    }

    [Fact]
    public void An_old_dbs_check_whose_update_service_check_is_older_than_30_days_is_expired()
    {
        var evaluation = EvaluateWithClaims("dbs", c =>
        {
            c["issued_on"] = SampleClaims.Day(Today.AddYears(-6));
            c["update_service"] = true;
            c["update_service_checked_on"] = SampleClaims.Day(Today.AddDays(-31));
        });

        AssertOnly(evaluation, "dbs", Outcome.Expired);
    }

    [Fact]
    public void A_right_to_work_ending_before_the_deployment_ends_expires_before_deployment_end()
    {
        var evaluation = EvaluateWithClaims("right_to_work", c => c["expires_on"] = SampleClaims.Day(End.AddDays(-1)));

        AssertOnly(evaluation, "right_to_work", Outcome.ExpiresBeforeDeploymentEnd);
        Assert.Contains(SampleClaims.Day(End), Result(evaluation, "right_to_work").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_right_to_work_ending_on_the_deployments_last_day_is_met()
    {
        Assert.True(EvaluateWithClaims("right_to_work", c => c["expires_on"] = SampleClaims.Day(End)).Accepted);
    }

    [Fact]
    public void An_unlimited_right_to_work_is_met_without_an_end_date()
    {
        var evaluation = EvaluateWithClaims("right_to_work", c =>
        {
            c["right_to_work_status"] = "unlimited";
            c.Remove("expires_on");
        });

        Assert.True(evaluation.Accepted);
    }

    [Fact]
    public void A_time_limited_right_to_work_whose_end_date_was_withheld_is_not_met()
    {
        AssertOnly(EvaluateWithClaims("right_to_work", c => c.Remove("expires_on")), "right_to_work", Outcome.NotMet);
    }

    [Fact]
    public void Training_that_expires_before_the_start_date_is_expired()
    {
        AssertOnly(EvaluateWithClaims("fire_safety", c => c["expires_on"] = SampleClaims.Day(Start.AddDays(-1))), "fire_safety", Outcome.Expired);
    }

    [Fact]
    public void Training_valid_on_the_start_date_is_met_even_if_it_lapses_during_the_deployment()
    {
        Assert.True(EvaluateWithClaims("fire_safety", c => c["expires_on"] = SampleClaims.Day(Start)).Accepted);
    }

    [Fact]
    public void Training_in_another_subject_is_not_met()
    {
        AssertOnly(EvaluateWithClaims("fire_safety", c => c["subject"] = "moving_handling"), "fire_safety", Outcome.NotMet);
    }

    [Fact]
    public void Registration_on_another_register_is_not_met()
    {
        AssertOnly(EvaluateWithClaims("registration", c => c["register"] = "GMC"), "registration", Outcome.NotMet);
    }

    [Fact]
    public void A_lapsed_registration_is_not_met()
    {
        AssertOnly(EvaluateWithClaims("registration", c => c["registration_status"] = "lapsed"), "registration", Outcome.NotMet);
    }

    [Fact]
    public void Occupational_health_clearance_with_adjustments_is_met_and_not_cleared_is_not_met()
    {
        Assert.True(EvaluateWithClaims("occupational_health", c => c["clearance"] = "cleared_with_adjustments").Accepted);
        AssertOnly(EvaluateWithClaims("occupational_health", c => c["clearance"] = "not_cleared"), "occupational_health", Outcome.NotMet);
    }

    [Fact]
    public void A_claim_the_rules_need_that_was_not_disclosed_is_not_met()
    {
        var evaluation = EvaluateWithClaims("occupational_health", c => c.Remove("clearance"));

        AssertOnly(evaluation, "occupational_health", Outcome.NotMet);
        Assert.Contains("not disclosed", Result(evaluation, "occupational_health").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_date_claim_that_is_not_a_date_is_not_met()
    {
        AssertOnly(EvaluateWithClaims("fire_safety", c => c["expires_on"] = "next year"), "fire_safety", Outcome.NotMet);
    }

    [Fact]
    public void A_withdrawn_credential_is_reported_as_withdrawn()
    {
        AssertOnly(EvaluateWith("dbs", p => p with { StatusValue = 1 }), "dbs", Outcome.Withdrawn);
    }

    [Fact]
    public void A_suspended_credential_is_reported_as_suspended()
    {
        AssertOnly(EvaluateWith("registration", p => p with { StatusValue = 2 }), "registration", Outcome.Suspended);
    }

    [Fact]
    public void A_credential_without_a_status_entry_is_not_met()
    {
        AssertOnly(EvaluateWith("registration", p => p with { Status = null, StatusValue = null }), "registration", Outcome.NotMet);
    }

    [Fact]
    public void A_credential_from_an_issuer_outside_the_agreement_is_an_untrusted_issuer()
    {
        var evaluation = EvaluateWith("dbs", p => p with { State = CredentialState.UntrustedIssuer, Issuer = "https://elsewhere.test/issuers/X", Claims = [] });

        AssertOnly(evaluation, "dbs", Outcome.UntrustedIssuer);
        Assert.Equal("https://elsewhere.test/issuers/X", Result(evaluation, "dbs").Credential!.Issuer);
        Assert.Empty(Result(evaluation, "dbs").Claims);
    }

    [Fact]
    public void An_expired_credential_is_reported_as_expired()
    {
        AssertOnly(EvaluateWith("dbs", p => p with { State = CredentialState.Expired, Claims = [] }), "dbs", Outcome.Expired);
    }

    [Fact]
    public void A_credential_that_expires_before_the_start_is_expired()
    {
        AssertOnly(EvaluateWith("fire_safety", p => p with { ExpiresAt = new DateTimeOffset(Start.AddDays(-1), TimeOnly.MinValue, TimeSpan.Zero) }), "fire_safety", Outcome.Expired);
    }

    [Fact]
    public void A_requirement_with_no_credential_presented_is_not_met()
    {
        var evaluation = RequirementEngine.Evaluate(Role, Start, End, [.. AllValid().Where(p => p.QueryId != "registration")], Now);

        AssertOnly(evaluation, "registration", Outcome.NotMet);
        Assert.Null(Result(evaluation, "registration").Credential);
    }

    [Fact]
    public void Direct_verification_matches_credentials_to_requirements_by_type_and_judges_every_candidate()
    {
        var today = Today;
        var presented = SampleClaims.All(today).Select((c, i) => Verified(i, null, c.Type, c.Claims)).ToList();
        presented.Add(Verified(presented.Count, null, "training", new JsonObject
        {
            ["subject"] = "moving_handling", ["completed_on"] = SampleClaims.Day(today), ["expires_on"] = SampleClaims.Day(today.AddYears(1)),
        }));
        presented.Reverse();

        var evaluation = RequirementEngine.Evaluate(Role, Start, End, presented, Now);

        Assert.True(evaluation.Accepted);
        var fire = Result(evaluation, "fire_safety");
        Assert.Equal("fire_safety", fire.Claims["subject"]!.GetValue<string>());
    }

    [Fact]
    public void Of_several_failing_candidates_the_nearest_miss_is_reported()
    {
        var presented = AllValid();
        var fire = presented.Single(p => p.QueryId == "fire_safety");
        presented.Remove(fire);
        presented.Add(fire with { Index = 10, StatusValue = 1 });
        var soon = (JsonObject)fire.Claims.DeepClone();
        soon["expires_on"] = SampleClaims.Day(Start.AddDays(-2));
        presented.Add(fire with { Index = 11, Claims = soon });

        var evaluation = RequirementEngine.Evaluate(Role, Start, End, presented, Now);

        Assert.Equal(Outcome.Expired, Result(evaluation, "fire_safety").Outcome);
        Assert.Equal(11, Result(evaluation, "fire_safety").Credential!.Index);
    }
}
