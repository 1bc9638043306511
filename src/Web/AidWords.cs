namespace Passport.Web.Pages;

/// <summary>Mutual aid in words: where a person is on a request.</summary>
public static class AidWords
{
    public static string State(string state) => state switch
    {
        "waiting_for_consent" => "Waiting for their consent",
        "declined" => "Declined",
        "waiting_for_decision" => "Consented: waiting for the host's check",
        "waiting_for_presentation" => "Waiting for their credentials",
        "accepted" => "Accepted",
        "not_accepted" => "Not accepted",
        "deployed" => "Deployed",
        "not_started" => "Could not be started",
        _ => Words.Sentence(state),
    };

    public static string Colour(string state) => state switch
    {
        "accepted" or "deployed" => "nhsuk-tag--green",
        "declined" or "not_accepted" or "not_started" => "nhsuk-tag--red",
        _ => "nhsuk-tag--grey",
    };

    public static string Method(string? method) => method switch
    {
        "self" => "in their passport",
        "in_person" => "in person, recorded by HR",
        "phone" => "by phone, recorded by HR",
        _ => "",
    };
}
