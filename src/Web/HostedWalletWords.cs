namespace Passport.Web;

/// <summary>The hosted wallet's route and consent in words.</summary>
public static class HostedWalletWords
{
    public static string Consent(string method) => method switch
    {
        "signed_in" => "they signed in and confirmed it themselves",
        "in_person" => "given in person to their HR team",
        "phone" => "given by phone to their HR team",
        "written" => "given in writing to their HR team",
        _ => "recorded by their HR team",
    };
}
