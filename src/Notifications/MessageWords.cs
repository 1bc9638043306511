using System.Globalization;

namespace Passport.Notifications;

/// <summary>Words for messages. A message says what happened and links to the page about it; never what a check found.</summary>
public static class MessageWords
{
    /// <summary>
    /// A credential type in words. DBS and occupational health are both "a pre-employment check": that a person has a
    /// health clearance or a DBS check on file is itself special-category or criminal-record data, and e-mail and SMS
    /// are read on shared screens and lock screens.
    /// </summary>
    public static string CredentialType(string? type) => type switch
    {
        "identity" => "identity check",
        "employment" => "employment",
        "right-to-work" => "right to work",
        "professional-registration" => "professional registration",
        "references" => "references",
        "training" => "training",
        "competency" => "competency",
        "placement" => "placement",
        _ => "pre-employment check",
    };

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    // Expiry instants are midnight boundaries; the day a person reads is London's.
    public static string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, London).DateTime));

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

    /// <summary>The closing lines every message ends with: the link to the page it is about (<see cref="WebPages"/>).</summary>
    public static string SignIn(Uri link) => $"\n\nSign in to see the details: {link}\n\nThis message was sent by Passport. Do not reply to it.";
}
