using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Passport.Credentials;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Decisions;

/// <summary>One presentation as received: the DCQL credential query it answers (wallet responses) and the SD-JWT VC with its KB-JWT.</summary>
internal sealed record ReceivedPresentation(string? QueryId, string Presentation);

/// <summary>
/// Runs every presentation through the credential core (key binding required, this audience, this nonce, issuers trusted only
/// when they are parties), then reads the status of each verified credential. A hostile or malformed presentation stops
/// everything with its precise code; an untrusted issuer or an expired credential becomes an outcome the engine reports.
/// </summary>
internal sealed class PresentationCheck(ITrustedIssuers trust, StatusListClient statusLists, HolderKeyCache holderKeys, VerifierDbContext db, TimeProvider time)
{
    public const int MaxPresentations = 50;

    public async Task<(List<PresentedCredential>? Credentials, ProblemHttpResult? Problem)> CheckAsync(
        IReadOnlyList<ReceivedPresentation> received, IReadOnlyList<string> parties, string audience, string nonce, PrefetchedNotices? prefetched,
        CancellationToken cancellationToken)
    {
        var verifier = new SdJwtVcVerifier(trust.ForParties(parties), time, holderKeys: holderKeys);
        var policy = PresentationPolicy.KeyBound(audience, nonce);
        var credentials = new List<PresentedCredential>(received.Count);
        for (var i = 0; i < received.Count; i++)
        {
            var result = await verifier.VerifyAsync(received[i].Presentation, policy, cancellationToken);
            if (result.Credential is { } credential)
            {
                var status = await StatusOfAsync(credential, i, cancellationToken);
                if (status.Problem is not null)
                    return (null, status.Problem);
                credentials.Add(new PresentedCredential
                {
                    Index = i, QueryId = received[i].QueryId, Issuer = credential.Issuer, Vct = credential.Vct, State = CredentialState.Verified,
                    Claims = credential.Claims, ExpiresAt = credential.ExpiresAt, Status = credential.Status, StatusValue = status.Value, StatusFailure = status.Failure,
                    Subject = credential.Claims["sub"] is JsonValue sub && sub.TryGetValue<string>(out var subject) ? subject : null,
                    HolderKey = credential.HolderKey?.Thumbprint(),
                });
                continue;
            }
            var error = result.Error!;
            var state = error.Code switch
            {
                ErrorCodes.UntrustedIssuer => CredentialState.UntrustedIssuer,
                ErrorCodes.Expired => CredentialState.Expired,
                _ => (CredentialState?)null,
            };
            if (state is null)
                return (null, Refused(error, i));
            credentials.Add(Unverified(received[i], i, state.Value));
        }
        var mismatch = OneHolder(credentials) ?? SameSubject(credentials);
        if (mismatch is not null)
            return (null, mismatch);
        return (await WithStatusNoticesAsync(credentials, prefetched, cancellationToken), null);
    }

    /// <summary>
    /// Combines each list status with what the bus told us about that entry: the notices read before verifying when every
    /// verified credential's entry was among those claimed, else one query for every credential once the presentations have
    /// all passed, rather than one per credential.
    /// </summary>
    private async Task<List<PresentedCredential>> WithStatusNoticesAsync(List<PresentedCredential> credentials, PrefetchedNotices? prefetched, CancellationToken cancellationToken)
    {
        var listed = credentials.Where(c => c.StatusValue is not null && c.Status is not null).ToList();
        if (listed.Count == 0)
            return credentials;
        var entries = listed.Select(c => (c.Issuer, c.Status!.Uri, c.Status.Index)).ToList();
        var notices = prefetched is not null && entries.TrueForAll(e => prefetched.Covers(e.Uri, e.Index))
            ? StatusNotice.Match(prefetched.Rows, trust, entries)
            : await StatusNotice.FindAllAsync(db, trust, entries, cancellationToken);
        return [.. credentials.Select(c => c.StatusValue is { } value && c.Status is { } entry
            ? c with { StatusValue = StatusNotice.Combine(value, notices.TryGetValue((c.Issuer, entry.Uri, entry.Index), out var notice) ? notice : null) }
            : c)];
    }

    /// <summary>
    /// Every verified credential is bound to the same holder key: the KB-JWTs then prove one wallet presented them all, which is
    /// what ties credentials of different issuers (whose staff ids differ) to one person.
    /// </summary>
    private static ProblemHttpResult? OneHolder(List<PresentedCredential> credentials)
    {
        var verified = credentials.Where(c => c.State == CredentialState.Verified).ToList();
        foreach (var c in verified)
        {
            if (c.HolderKey is null || !string.Equals(c.HolderKey, verified[0].HolderKey, StringComparison.Ordinal))
                return Problems.BadRequest("holder_mismatch", $"Presentation {c.Index} is bound to a different holder key from presentation {verified[0].Index}; present one person's credentials from one wallet.");
        }
        return null;
    }

    /// <summary>Each verified credential names its person (<c>sub</c>), and credentials of one issuer all name the same one.</summary>
    private static ProblemHttpResult? SameSubject(List<PresentedCredential> credentials)
    {
        var subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in credentials.Where(c => c.State == CredentialState.Verified))
        {
            if (string.IsNullOrEmpty(c.Subject))
                return Problems.BadRequest("subject_missing", $"Presentation {c.Index} does not say whom it is about (no 'sub'), so it cannot be tied to the person; ask the issuer for a credential that names its subject.");
            if (subjects.TryGetValue(c.Issuer, out var seen) && !string.Equals(seen, c.Subject, StringComparison.Ordinal))
                return Problems.BadRequest("subject_mismatch", $"Presentation {c.Index} is about a different person from an earlier credential of the same issuer; present one person's credentials.");
            subjects[c.Issuer] = c.Subject;
        }
        return null;
    }

    private async Task<(byte? Value, string? Failure, ProblemHttpResult? Problem)> StatusOfAsync(VerifiedCredential credential, int index, CancellationToken cancellationToken)
    {
        if (credential.Status is null)
            return (null, null, null);
        var lookup = await statusLists.GetStatusAsync(credential.Issuer, credential.Status, cancellationToken);
        if (lookup.Status is { } value)
            return (value, null, null);
        var error = lookup.Error ?? CredentialError.Of(TrustErrorCodes.StatusListUnavailable, "The status list could not be read.");
        // The list was read; the credential points outside it. That is the credential's fault, decided against it, not a failure of ours.
        if (error.Code == ErrorCodes.StatusIndexOutOfRange)
            return (null, error.Message, null);
        // Fail closed: without the status nothing is decided, and nothing is consumed, so the same request can be answered again.
        var status = error.Code == TrustErrorCodes.StatusListUnavailable ? 503 : 502;
        return (null, null, Problems.Problem(status, error.Code, $"Presentation {index}: the credential's status could not be confirmed ({error.Message}). Try again later."));
    }

    private static ProblemHttpResult Refused(CredentialError error, int index) => error.Code switch
    {
        TrustErrorCodes.IssuerMetadataUnavailable => Problems.Problem(503, error.Code, $"Presentation {index}: {error.Message} Try again later."),
        TrustErrorCodes.InvalidIssuerMetadata or TrustErrorCodes.IssuerMetadataMismatch => Problems.Problem(502, error.Code, $"Presentation {index}: {error.Message}"),
        _ => Problems.BadRequest(error.Code, $"Presentation {index} was refused: {error.Message}"),
    };

    // Only for naming what was presented in the decision: the issuer and type of a credential we did not accept are not trusted facts.
    private static PresentedCredential Unverified(ReceivedPresentation received, int index, CredentialState state)
    {
        var jwt = received.Presentation.Split('~', 2)[0];
        string issuer = "", vct = "";
        DateTimeOffset? expires = null;
        if (CompactJws.TryParse(jwt, out var jws, out _))
        {
            issuer = jws.Payload["iss"] is JsonValue i && i.TryGetValue<string>(out var iss) ? iss : "";
            vct = jws.Payload["vct"] is JsonValue v && v.TryGetValue<string>(out var type) ? type : "";
            if (jws.Payload["exp"] is JsonValue e && e.TryGetValue<long>(out var exp))
                expires = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(exp, 0, 253402300799));
        }
        return new PresentedCredential { Index = index, QueryId = received.QueryId, Issuer = issuer, Vct = vct, State = state, ExpiresAt = expires };
    }
}
