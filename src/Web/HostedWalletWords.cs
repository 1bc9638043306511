using Passport.Web.Api;

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

    /// <summary>Why a licence to attend could not be collected into a kept passport, for HR (<c>yours</c> false) or the person.</summary>
    public static string CollectRefused(ApiProblem problem, string hostName, bool yours)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var kept = yours ? "the passport your organisation keeps for you" : "the passport you keep for them";
        return problem.Code switch
        {
            "placement_already_collected" => $"The licence to attend {hostName} is already in {kept}",
            "placement_not_offered" => $"The licence to attend {hostName} can no longer be collected: it was collected, withdrawn or its offer ended. Ask {hostName} to offer it again",
            "placement_other_key" => $"The licence to attend {hostName} was offered to {(yours ? "your" : "their")} wallet app, not to {kept}",
            "placement_not_found" => $"There is no licence to attend {hostName} to collect",
            "hosted_wallet_not_found" => yours ? "Your organisation does not keep your passport for you. Ask your HR team" : "Keep their passport for them first",
            _ when problem.Status >= 500 => $"{hostName} could not be reached to collect the licence to attend. Try again in a moment",
            _ => $"The licence to attend {hostName} could not be collected. Try again in a moment",
        };
    }
}
