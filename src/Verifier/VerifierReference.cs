using Passport.ServiceDefaults;

namespace Passport.Verifier;

/// <summary>What the Verifier's API reference says of the service and of each group of its operations.</summary>
internal static class VerifierReference
{
    public static IHostApplicationBuilder AddVerifierReference(this IHostApplicationBuilder builder)
    {
        builder.Services.DescribeApi("Verifier",
            "The Verifier: a receiving organisation records workforce sharing agreements, asks a member of staff for the credentials "
            + "an agreement requires of their role (OpenID4VP), gets a decision with a reason for every requirement, and starts, "
            + "extends and ends deployments, which are flagged when a credential is withdrawn or about to expire.",
            new Dictionary<string, string>
            {
                ["Agreements"] = "Workforce sharing agreements: parties, period, roles covered and what each role requires. Versioned.",
                ["Presentation requests"] = "Asking a member of staff's wallet for what an agreement requires, and following the answer.",
                ["OpenID4VP"] = "The wallet-facing OpenID for Verifiable Presentations 1.0 routes (request object, direct_post response).",
                ["Decisions"] = "Decisions on presented credentials against an agreement, including presentations collected outside OpenID4VP.",
                ["Deployments"] = "Deployments started from accepted decisions: extend, end, and the flags raised on them.",
                ["Verifier profile"] = "The name wallets are shown for your organisation and its OpenID4VP client identifier.",
                ["Mutual aid (host)"] = "Hosting many people at once: each consenting member's presentation request and decision, and starting every accepted deployment in one action.",
                ["Messages"] = "The e-mails and texts sent to your organisation's contacts about deployed people, with their delivery state.",
            });
        return builder;
    }
}
