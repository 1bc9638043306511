using Passport.Web.Api;

namespace Passport.Web;

/// <summary>A placement credential's state, in words for the host's staffing team or (<c>yours</c>) for the person it was issued to.</summary>
public static class PlacementWords
{
    public static string State(Placement placement, bool yours = false)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var whose = yours ? "your" : "their";
        return placement.State switch
        {
            "offered" => $"Offered: waiting for {whose} wallet to add it.",
            "collected" => yours ? "In your wallet." : "Added to their wallet.",
            "accepted" => $"Accepted in {whose} wallet.",
            "rejected" => $"{(yours ? "Your" : "Their")} wallet turned it down.",
            "withdrawn" => $"Withdrawn: {placement.Reason ?? "the deployment ended."}",
            _ => placement.Reason ?? "Not issued.",
        };
    }
}
