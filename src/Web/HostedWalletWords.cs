using System.Globalization;
using System.Text.RegularExpressions;
using Passport.Web.Api;

namespace Passport.Web;

/// <summary>The hosted wallet's route and consent in words.</summary>
public static partial class HostedWalletWords
{
    /// <summary>The history's words for what happened in a kept passport, for HR (<c>yours</c> false) or the person; null for any other action.</summary>
    public static string? Action(string action, bool yours)
    {
        var kept = yours ? "the passport your organisation keeps for you" : "the passport kept for them";
        return action switch
        {
            "hosted_wallet_created" => yours ? "Your organisation started keeping your passport for you" : "Passport kept for them by your organisation",
            "hosted_wallet_stored" => $"Put in {kept}",
            "hosted_placement_collected" => $"Licence to attend put in {kept}",
            "hosted_presented" => $"Shared from {kept}",
            _ => null,
        };
    }

    /// <summary>
    /// The history's reason for a kept-passport action in words, without the record's machine details (holder key,
    /// deployment id, who recorded it); null for any other action. An entry that does not read as expected shows nothing.
    /// </summary>
    public static string? Reason(string action, string? reason, Func<string, string> organisationName)
    {
        ArgumentNullException.ThrowIfNull(organisationName);
        switch (action)
        {
            case "hosted_wallet_created" or "hosted_wallet_stored":
                return "";
            case "hosted_placement_collected":
                var host = reason is null ? null : PlacementReason().Match(reason) is { Success: true } p ? p.Groups["host"].Value : null;
                return host is null ? "" : $"placement at {organisationName(host)}";
            case "hosted_presented":
                if (reason is null || PresentedReason().Match(reason) is not { Success: true } m)
                    return "";
                var given = DateTimeOffset.TryParse(m.Groups["given"].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at)
                    ? $" on {Words.Date(at)}" : "";
                return $"shared with {m.Groups["with"].Value}; consent {Consent(m.Groups["method"].Value)}{given}";
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^placement at (?<host>[A-Za-z0-9]+),")]
    private static partial Regex PlacementReason();

    [GeneratedRegex(@"^to (?<with>.+); consent (?<method>[a-z_]+) given (?<given>[^,]+)")]
    private static partial Regex PresentedReason();

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
