using Passport.ServiceDefaults;

namespace Passport.Issuer;

/// <summary>What the Issuer's API reference says of the service and of each group of its operations.</summary>
internal static class IssuerReference
{
    public static IHostApplicationBuilder AddIssuerReference(this IHostApplicationBuilder builder)
    {
        builder.Services.DescribeApi("Issuer",
            "The Issuer: an employing organisation's HR team keeps staff records, issues SD-JWT VC credentials about their checks, "
            + "training and competencies, offers them to wallets (OpenID4VCI), withdraws or suspends them (Token Status List), "
            + "and sees where its staff are deployed.",
            new Dictionary<string, string>
            {
                ["Organisation"] = "Registering your organisation (by ODS code) and listing the organisations taking part.",
                ["Staff"] = "Your organisation's staff records, their professional registrations and enrolment codes.",
                ["Credentials"] = "Issuing, re-issuing, withdrawing, suspending and reinstating credentials.",
                ["Catalogue"] = "The credential types an organisation can issue and their SD-JWT VC type metadata.",
                ["Import"] = "Bulk issuance from an ESR or learning-system CSV export, with each row's errors.",
                ["Offers"] = "Offering credentials to a member of staff's wallet, and what wallets said about them.",
                ["OpenID4VCI"] = "The wallet-facing OpenID for Verifiable Credential Issuance 1.0 routes (pre-authorized code flow).",
                ["Keys"] = "The organisation's signing keys: published for verifiers, rotated by an organisation admin.",
                ["Status"] = "Token Status Lists: whether each issued credential is valid, withdrawn or suspended.",
                ["Deployments (home organisation)"] = "Where your staff are deployed, and approving or declining deployments that need it.",
                ["Audit"] = "Who did what to which passport.",
                ["Hosted wallet"] = "A wallet the home organisation keeps for a member of staff without a smartphone, and presenting from it with their consent.",
                ["Messages"] = "The e-mails and texts sent to your staff and HR contacts, with their delivery state.",
                ["Placements (host organisation)"] = "Placement credentials (licence to attend) a host issues its visitors when a deployment starts.",
                ["Mutual aid (home organisation)"] = "Asking many members of staff at once to consent to a deployment under an agreement, and following each person.",
                ["My passport"] = "A member of staff's own passport: credentials, replies, offers to their wallet, deployments and history.",
            });
        return builder;
    }
}
