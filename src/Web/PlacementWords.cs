using Passport.Web.Api;

namespace Passport.Web;

/// <summary>A placement credential's state, in words for the host's staffing team and for the person.</summary>
public static class PlacementWords
{
    public static string State(Placement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return placement.State switch
        {
            "offered" => "Offered: waiting for their wallet to add it.",
            "collected" => "Added to their wallet.",
            "accepted" => "Accepted in their wallet.",
            "rejected" => "Their wallet turned it down.",
            "withdrawn" => $"Withdrawn: {placement.Reason ?? "the deployment ended."}",
            _ => placement.Reason ?? "Not issued.",
        };
    }
}
