namespace Passport.Testing;

/// <summary>
/// Every request of a test server comes from one (unknown) address, so a busy test class would be throttled by the
/// anonymous rate limits: test hosts raise them with these settings.
/// </summary>
public static class TestRateLimits
{
    public const string Generous = "1000000";

    /// <summary>As configuration keys (<c>RateLimits:AnonymousRequests</c>).</summary>
    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["RateLimits:AnonymousRequests"] = Generous,
        ["RateLimits:AnonymousWrites"] = Generous,
    };

    /// <summary>As environment variables for a service started as its own process (<c>RateLimits__AnonymousRequests</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> EnvironmentVariables =>
        Settings.Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));
}
