namespace Passport.Web.Tests;

/// <summary>A passport's history in words: organisations by name, roles and consent in words, no record-keeping codes.</summary>
public sealed class HistoryWordsTests
{
    private static string Name(string ods) => ods switch
    {
        "RXH" => "Riverside Hospital",
        "RHQ" => "Northgate Trust",
        _ => "another organisation",
    };

    [Fact]
    public void A_mutual_aid_entry_names_the_host_and_the_role_in_words()
    {
        Assert.Equal("Asked to consent to mutual aid at Riverside Hospital as registered nurse, 1 February 2027 to 28 February 2027. Raised by Riverside Hospital, the host.",
            Words.HistoryReason("mutual_aid_requested",
                "Asked to consent to mutual aid at RXH as registered_nurse, 1 February 2027 to 28 February 2027. Raised by RXH, the host.", Name));
        Assert.Equal("Consented to mutual aid at another organisation as healthcare assistant, 1 February 2027 to 28 February 2027. Answered in their passport.",
            Words.HistoryReason("mutual_aid_consented",
                "Consented to mutual aid at ZZZ99 as healthcare_assistant, 1 February 2027 to 28 February 2027. Answered in their passport.", Name));
    }

    [Fact]
    public void A_kept_passport_entry_says_with_whom_and_how_consent_was_given_without_keys_or_codes()
    {
        Assert.Equal("shared with Riverside Hospital; consent given by phone to their HR team on 3 December 2026",
            Words.HistoryReason("hosted_presented", "to Riverside Hospital; consent phone given 2026-12-03T00:00:00.0000000+00:00, recorded by 8f1c2a", Name));
        Assert.Equal("", Words.HistoryReason("hosted_wallet_stored", "hosted wallet, holder key 0Qx9cT3bXkq1VbH8r2yZ-abc", Name));
        Assert.Equal("placement at Riverside Hospital",
            Words.HistoryReason("hosted_placement_collected", $"placement at RXH, deployment {Guid.NewGuid()}, hosted wallet", Name));
        Assert.Equal("Shared from the passport your organisation keeps for you", Words.HistoryAction("hosted_presented", yours: true));
        Assert.Equal("Put in the passport kept for them", Words.HistoryAction("hosted_wallet_stored", yours: false));
    }

    [Fact]
    public void Other_entries_keep_their_reason_in_words()
    {
        Assert.Equal("no longer valid", Words.HistoryReason("withdrawn", "no_longer_valid", Name));
        Assert.Equal("", Words.HistoryReason("issued", null, Name));
        Assert.Equal("Withdrawn", Words.HistoryAction("withdrawn", yours: false));
    }
}
