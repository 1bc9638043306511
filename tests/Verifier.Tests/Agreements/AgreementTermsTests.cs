using Passport.Verifier.Agreements;

namespace Passport.Verifier.Tests.Agreements;

/// <summary>The agreement's terms for a deployment, on their own (see <see cref="Deployments.AgreementTermsEverywhereTests"/> for every caller).</summary>
public sealed class AgreementTermsTests
{
    private static readonly AgreementRules Rules = SampleAgreement.Rules() with
    {
        StartsOn = new DateOnly(2027, 1, 1), EndsOn = new DateOnly(2027, 12, 31), MaxDeploymentDays = 30,
    };

    private static readonly DateOnly March = new(2027, 3, 1);

    [Fact]
    public void A_deployment_of_a_covered_role_within_the_period_and_the_maximum_fits()
    {
        Assert.Empty(AgreementTerms.Check(Rules, SampleAgreement.Role, March, March.AddDays(29)));
    }

    [Fact]
    public void A_deployment_one_day_longer_than_the_maximum_is_refused_on_end_with_its_length()
    {
        var errors = AgreementTerms.Check(Rules, SampleAgreement.Role, March, March.AddDays(30));

        Assert.Equal(["end"], errors.Keys);
        Assert.Equal("The agreement allows deployments of at most 30 days; this one is 31.", Assert.Single(errors["end"]));
    }

    [Fact]
    public void Starting_before_the_period_is_refused_on_start_and_ending_after_it_on_end_with_one_sentence()
    {
        var early = AgreementTerms.Check(Rules, SampleAgreement.Role, new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 5));
        var late = AgreementTerms.Check(Rules, SampleAgreement.Role, new DateOnly(2027, 12, 30), new DateOnly(2028, 1, 2));

        Assert.Equal(["start"], early.Keys);
        Assert.Equal(["end"], late.Keys);
        Assert.Equal("The deployment must fall within the agreement's period, 2027-01-01 to 2027-12-31.", Assert.Single(early["start"]));
        Assert.Equal(early["start"], late["end"]);
    }

    [Fact]
    public void An_end_before_the_start_is_refused_on_end_before_any_agreement_is_known()
    {
        Assert.Equal(["The deployment cannot end before it starts."], AgreementTerms.CheckDays(March, March.AddDays(-1))["end"]);
        Assert.Equal(AgreementTerms.CheckDays(March, March.AddDays(-1)), AgreementTerms.CheckDates(Rules, March, March.AddDays(-1)));
    }

    [Fact]
    public void Missing_dates_and_a_role_the_agreement_does_not_cover_are_named()
    {
        var errors = AgreementTerms.Check(Rules, "astronaut", null, null);

        Assert.Equal(["end", "role", "start"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("does not cover the role 'astronaut'", errors["role"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_latest_end_is_the_maximum_length_or_the_period_end_whichever_comes_first()
    {
        Assert.Equal(March.AddDays(29), AgreementTerms.LatestEnd(March, 30, Rules.EndsOn));
        Assert.Equal(Rules.EndsOn, AgreementTerms.LatestEnd(new DateOnly(2027, 12, 20), 30, Rules.EndsOn));
        Assert.Contains("can end on 2027-03-30 at the latest", AgreementTerms.BeyondLatestEnd(March, 30, Rules.EndsOn), StringComparison.Ordinal);
    }

    [Fact]
    public void Breaches_added_to_other_errors_keep_both_messages_on_one_field()
    {
        var errors = new Dictionary<string, string[]> { ["start"] = ["Another problem."] };

        AgreementTerms.Check(Rules, SampleAgreement.Role, new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 5)).AddTo(errors);

        Assert.Equal(2, errors["start"].Length);
        Assert.Equal("Another problem.", errors["start"][0]);
    }
}
