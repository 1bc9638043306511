using Microsoft.AspNetCore.Http.HttpResults;
using Passport.Credentials.OpenId4Vp;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Decisions;

/// <summary>
/// Checks the <see cref="HostedWalletAttestation"/> a home organisation's hosted wallet sends beside its presentations: signed
/// by the issuer key of an organisation party to the agreement, bound to this request (audience and nonce), and naming the
/// same issuer, person and holder key as every verified credential presented. A failure refuses the whole answer.
/// </summary>
internal sealed class HostedWalletCheck(ITrustedIssuers trust, TimeProvider time)
{
    public async Task<(HostedWalletRoute? Route, ProblemHttpResult? Problem)> CheckAsync(
        string attestation, IReadOnlyList<string> parties, string audience, string nonce, IReadOnlyList<PresentedCredential> credentials,
        CancellationToken cancellationToken)
    {
        var (verified, error) = await HostedWalletAttestation.VerifyAsync(attestation, trust.ForParties(parties), audience, nonce, time.GetUtcNow(), cancellationToken);
        if (verified is null)
        {
            return error!.Code switch
            {
                TrustErrorCodes.IssuerMetadataUnavailable => (null, Problems.Problem(503, error.Code, $"The hosted wallet attestation: {error.Message} Try again later.")),
                TrustErrorCodes.InvalidIssuerMetadata or TrustErrorCodes.IssuerMetadataMismatch => (null, Problems.Problem(502, error.Code, $"The hosted wallet attestation: {error.Message}")),
                _ => (null, Problems.BadRequest($"attestation_{error.Code}", $"The hosted wallet attestation was refused: {error.Message}")),
            };
        }
        var holder = verified.HolderKey.Thumbprint();
        foreach (var c in credentials.Where(c => c.State == CredentialState.Verified))
        {
            if (c.Issuer != verified.Issuer || c.Subject != verified.Subject || c.HolderKey != holder)
            {
                return (null, Problems.BadRequest("attestation_mismatch",
                    $"Presentation {c.Index} is not the attested hosted wallet's: the attestation must name the credential's issuer, person and holder key."));
            }
        }
        return (new HostedWalletRoute(verified.Issuer, verified.ConsentMethod, verified.ConsentGivenAt, verified.ConsentRecordedBy), null);
    }

    /// <summary>The role does not accept hosted-wallet presentations: a rejected decision that says so, beside every requirement's outcome.</summary>
    public static Evaluation RefuseHosted(Evaluation evaluation, RoleRules role) => new(false,
    [
        new RequirementResult
        {
            Id = "hosted_wallet", Vct = "", Outcome = Outcome.NotMet,
            Reason = $"The agreement does not accept presentations from a hosted wallet for the role {role.Role}; the person must present from a wallet app.",
        },
        .. evaluation.Requirements,
    ]);
}
