using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Passport.Web;

/// <summary>What a page says instead of a code: UK dates in Europe/London, statuses and reasons in words.</summary>
public static partial class Words
{
    private static readonly TimeZoneInfo London = FindLondon();

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    public static DateTimeOffset InLondon(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, London);

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(InLondon(time.GetUtcNow()).DateTime);

    public static string Date(DateOnly day) => day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Date(DateOnly? day) => day is { } d ? Date(d) : "not given";

    public static string Date(DateTimeOffset at) => InLondon(at).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at)
    {
        var local = InLondon(at);
        return $"{local.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} at {local.ToString("h:mm", CultureInfo.InvariantCulture)}{(local.Hour < 12 ? "am" : "pm")}";
    }

    /// <summary>"fire_safety" → "Fire safety".</summary>
    /// <summary>A person by the names they shared; an older wallet may share none.</summary>
    public static string PersonName(string? givenName, string? familyName) =>
        string.IsNullOrWhiteSpace(givenName) || string.IsNullOrWhiteSpace(familyName) ? "Name not shared" : $"{givenName.Trim()} {familyName.Trim()}";

    public static string Sentence(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return "";
        var text = code.Replace('_', ' ').Replace('-', ' ').Trim();
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>"fire_safety" → "fire safety".</summary>
    public static string Lower(string? code) => string.IsNullOrWhiteSpace(code) ? "" : code.Replace('_', ' ').Replace('-', ' ').Trim();

    public static string Reason(string? reason) => reason switch
    {
        null or "" => "no reason given",
        "superseded" => "replaced by a re-issued credential",
        "issued_in_error" => "issued in error",
        "update_pending" => "update pending",
        "no_longer_valid" => "no longer valid",
        "not_wanted" => "not wanted",
        _ when reason.Contains(':', StringComparison.Ordinal) => Reason(reason[..reason.IndexOf(':', StringComparison.Ordinal)]) + reason[reason.IndexOf(':', StringComparison.Ordinal)..],
        _ => Lower(reason),
    };

    public static int DaysUntil(DateTimeOffset at, TimeProvider time) => (int)Math.Ceiling((at - time.GetUtcNow()).TotalDays);

    /// <summary>A credential's status as a tag: its words and the NHS.UK tag colour.</summary>
    public static (string Text, string Colour) CredentialStatus(string status, string? reason, DateTimeOffset expiresAt, TimeProvider time)
    {
        var days = DaysUntil(expiresAt, time);
        return status switch
        {
            "withdrawn" => ($"Withdrawn: {Reason(reason)}", "red"),
            "suspended" => ($"Suspended: {Reason(reason)}", "orange"),
            _ when days <= 0 => ("Expired", "grey"),
            _ when days <= 60 => ($"Valid, expires in {days} {(days == 1 ? "day" : "days")}", "yellow"),
            _ => ("Valid", "green"),
        };
    }

    public static string Expiry(DateTimeOffset expiresAt, TimeProvider time)
    {
        var days = DaysUntil(expiresAt, time);
        // The credential is valid up to the instant it expires: the last whole day is the one before, in London.
        var last = Date(expiresAt.AddSeconds(-1));
        return days <= 0 ? $"Expired on {last}" : $"Valid until {last} (expires in {days} {(days == 1 ? "day" : "days")})";
    }

    public static string Role(string? role) => role switch
    {
        "hr_issuer" => "HR officer",
        "org_admin" => "Organisation administrator",
        "verifier" => "Staffing team (checks and deployments)",
        "staff" => "Member of staff",
        _ => Sentence(role),
    };

    public static string Action(string action) => action switch
    {
        "issued" => "Issued",
        "offered" => "Offered to the member of staff",
        "delivered" => "Received into a wallet",
        "accepted" => "Accepted by the member of staff",
        "rejected" => "Rejected by the member of staff",
        "failed" => "The wallet could not store it",
        "withdrawn" => "Withdrawn",
        "suspended" => "Suspended",
        "reinstated" => "Reinstated",
        "reissued" => "Re-issued",
        "resolved" => "Rejection resolved",
        _ => Sentence(action),
    };

    /// <summary>What a passport history entry says happened, for HR (<c>yours</c> false) or the person.</summary>
    public static string HistoryAction(string action, bool yours) => HostedWalletWords.Action(action, yours) ?? Action(action);

    /// <summary>Why, in words, with organisations by name; empty when the entry gives no reason.</summary>
    public static string HistoryReason(string action, string? reason, Func<string, string> organisationName) =>
        HostedWalletWords.Reason(action, reason, organisationName) ?? reason switch
        {
            null => "",
            _ when action.StartsWith("mutual_aid_", StringComparison.Ordinal) => AidReason().Replace(reason, m => m.Groups["ods"].Success
                ? $"{m.Groups["pre"].Value}{organisationName(m.Groups["ods"].Value)}{m.Groups["post"].Value}{Lower(m.Groups["role"].Value)}"
                : $"Raised by {organisationName(m.Groups["host"].Value)}, the host"),
            _ => Reason(reason),
        };

    /// <summary>The organisation codes and role code in a mutual-aid history entry ("… mutual aid at RXH as registered_nurse, …").</summary>
    [GeneratedRegex(@"(?<pre>mutual aid at )(?<ods>[A-Z0-9]{3,8})(?<post> as )(?<role>[a-z_]+)|Raised by (?<host>[A-Z0-9]{3,8}), the host")]
    private static partial Regex AidReason();

    public static string Outcome(string outcome) => outcome switch
    {
        "met" => "Met",
        "not_met" => "Not met",
        "expired" => "Expired",
        "expires_before_deployment_end" => "Expires before the deployment ends",
        "withdrawn" => "Withdrawn",
        "suspended" => "Suspended",
        "untrusted_issuer" => "From an organisation outside the agreement",
        _ => Sentence(outcome),
    };

    public static string OutcomeColour(string outcome) => outcome switch
    {
        "met" => "green",
        "expired" or "expires_before_deployment_end" => "orange",
        _ => "red",
    };

    public static string DeploymentState(string state) => state switch
    {
        "awaiting_approval" => "Waiting for the home organisation's approval",
        "active" => "Active",
        "declined" => "Declined by the home organisation",
        "ended" => "Ended",
        _ => Sentence(state),
    };

    public static string Flag(string kind) => kind switch
    {
        "credential_revoked" => "A credential was withdrawn",
        "credential_suspended" => "A credential was suspended",
        "credential_expiring" => "A credential lapses before the deployment ends",
        _ => Sentence(kind),
    };

    /// <summary>A claim's value in words: dates in UK format, yes/no, choices without underscores, lists one per item.</summary>
    public static string Value(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "";
            case JsonArray array:
                return string.Join("; ", array.Select(Value));
            case JsonObject obj:
                return string.Join(", ", obj.Select(p => $"{Lower(p.Key)}: {Value(p.Value)}"));
        }
        var value = node.AsValue();
        if (value.TryGetValue<bool>(out var flag))
            return flag ? "Yes" : "No";
        var text = node.ToString();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Date(day);
        return text.Contains('_', StringComparison.Ordinal) && !text.Contains(' ', StringComparison.Ordinal) ? Sentence(text) : text;
    }
}
