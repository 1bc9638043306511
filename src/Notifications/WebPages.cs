namespace Passport.Notifications;

/// <summary>
/// The web front end's pages a message links to, as paths relative to its base address. They are the routes of the pages in
/// <c>src/Web/Pages</c>; the web tests open each one through a message's link.
/// </summary>
public static class WebPages
{
    /// <summary>A member of staff's own passport: their credentials, offers waiting for their wallet, where they are deployed.</summary>
    public const string MyPassport = "my-passport";

    /// <summary>A member of staff's answer to one mutual-aid request.</summary>
    public static string MyMutualAid(Guid memberId) => $"my-passport/mutual-aid/{memberId}";

    /// <summary>HR's page of one member of staff: their passport, and the replies to credentials offered to them.</summary>
    public static string StaffPassport(Guid staffId) => $"staff/{staffId}";

    /// <summary>HR at the home organisation: one mutual-aid request and how each person asked has answered.</summary>
    public static string MutualAidRequest(Guid requestId) => $"mutual-aid/{requestId}";

    /// <summary>HR at the home organisation: one deployment of their staff, with approve and decline while it waits.</summary>
    public static string HomeDeployment(Guid deploymentId) => $"deployed/{deploymentId}";

    /// <summary>The receiving organisation's page of one deployment.</summary>
    public static string HostDeployment(Guid deploymentId) => $"deployments/{deploymentId}";

    /// <summary>The absolute address of <paramref name="path"/> under <paramref name="webBaseUrl"/>, which may or may not end with a slash.</summary>
    public static Uri Link(Uri webBaseUrl, string path)
    {
        ArgumentNullException.ThrowIfNull(webBaseUrl);
        ArgumentNullException.ThrowIfNull(path);
        var root = webBaseUrl.AbsoluteUri.EndsWith('/') ? webBaseUrl : new Uri(webBaseUrl.AbsoluteUri + "/");
        return new Uri(root, path.TrimStart('/'));
    }
}
