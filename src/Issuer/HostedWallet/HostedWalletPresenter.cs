using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Credentials.OpenId4Vp;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Audit;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;

namespace Passport.Issuer.HostedWallet;

/// <summary>A held credential the hosted wallet may present: the stored SD-JWT VC and what HR issued.</summary>
internal sealed record HostedHeld(Guid CredentialId, string Type, string Name);

/// <summary>A verified request and how the hosted wallet would answer it.</summary>
internal sealed record HostedPlan(AuthorizationRequest Request, IReadOnlyList<DcqlMatch<HostedHeld>> Answers, IReadOnlyList<string> Unanswered)
{
    /// <summary>Every claim the receiving organisation will be able to read, by credential: what it asked for, and what no wallet can hide.</summary>
    public IReadOnlyList<SharedClaim> Shared()
    {
        var result = new List<SharedClaim>();
        foreach (var answer in Answers)
        {
            var asked = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in answer.Paths)
            {
                asked.Add(path.Segments is [string top, ..] ? top : "");
                result.Add(new SharedClaim(answer.Item.Name, path.ToString(), Show(DcqlMatcher.Values(answer.Held.Claims, path))));
            }
            foreach (var (name, value) in answer.Held.Jwt.Payload)
            {
                if (!Registered.Contains(name) && !asked.Contains(name))
                    result.Add(new SharedClaim(answer.Item.Name, name, Show([value])));
            }
        }
        return result;
    }

    // Registered claims the verifier needs to check the credential itself (SD-JWT VC §3.2.2); SD-JWT's own digests reveal nothing.
    private static readonly HashSet<string> Registered = new(StringComparer.Ordinal) { "iss", "vct", "iat", "nbf", "exp", "cnf", "status", "sub", "_sd", "_sd_alg", "vct#integrity" };

    private static string Show(IReadOnlyList<JsonNode?> values)
    {
        var text = string.Join(", ", values.Select(v => v is JsonValue j && j.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? ""));
        return text.Length > 200 ? text[..197] + "..." : text;
    }
}

public sealed record SharedClaim(string Credential, string Claim, string Value);

/// <summary>Who consented to a presentation and how, and who pressed the button.</summary>
internal sealed record HostedConsent(string Method, DateTimeOffset GivenAt, string? RecordedBy, string PresentedBy);

/// <summary>
/// Answers an OpenID4VP request from a hosted wallet as any wallet would (request object checked against its x509_hash client
/// identifier, DCQL matched, only what is asked disclosed, a KB-JWT over the verifier's nonce, direct_post), and adds the home
/// organisation's <see cref="HostedWalletAttestation"/> so the verifier knows the route and the consent.
/// </summary>
internal sealed class HostedWalletPresenter(
    IssuerDbContext db, HostedWalletHttp http, HostedWalletKeys walletKeys, SigningKeys signingKeys, IOptions<IssuerOptions> options, TimeProvider time)
{
    public async Task<HostedPlan> PlanAsync(HostedWallet wallet, string? link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        if (AuthorizationRequest.ParseLink(link) is not var (clientId, requestUri))
            throw new HostedWalletException("invalid_request_link", "Give the request link the organisation asking gave you (it starts openid4vp:// and names client_id and request_uri).");
        var jwt = await http.GetRequestObjectAsync(requestUri, cancellationToken);
        if (!AuthorizationRequest.TryVerify(jwt, clientId, time.GetUtcNow(), out var request, out var error))
            throw new HostedWalletException(error!.Code, error.Message);
        http.Check(request.ResponseUri, "The response address");
        var held = await HeldAsync(wallet, cancellationToken);
        var (answers, unanswered) = DcqlMatcher.Match(request.DcqlQuery, held, time.GetUtcNow());
        return new HostedPlan(request, answers, unanswered);
    }

    /// <summary>The form the hosted wallet posts (vp_token, state and the attestation); recorded as presented only once posted.</summary>
    public async Task<Dictionary<string, string>> AnswerAsync(HostedWallet wallet, HostedPlan plan, HostedConsent consent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(consent);
        if (plan.Answers.Count == 0)
            throw new HostedWalletException("nothing_to_present", "Nothing in this passport answers the request, so there is nothing to share.", StatusCodes.Status409Conflict);
        var now = time.GetUtcNow();
        var binding = new KeyBindingRequest(plan.Request.ClientId, plan.Request.Nonce, now);
        var vpToken = new JsonObject();
        using (var holder = walletKeys.Open(wallet))
        {
            foreach (var answer in plan.Answers)
            {
                var presentation = await answer.Held.PresentAsync(answer.Held.Select(answer.Paths), binding, holder.Signer, holder.Signer.Reference, cancellationToken);
                vpToken[answer.QueryId] = new JsonArray(presentation);
            }
        }
        var key = await signingKeys.GetActiveAsync(wallet.OdsCode, cancellationToken);
        var attestation = await new HostedWalletAttestation(
            options.Value.IssuerIdFor(wallet.OdsCode), wallet.StaffId.ToString(), plan.Request.ClientId, plan.Request.Nonce, now,
            HostedWalletKeys.PublicKeyOf(wallet), consent.Method, consent.GivenAt, consent.RecordedBy).SignAsync(key.Signer, key.Reference, cancellationToken);
        return new Dictionary<string, string>
        {
            ["vp_token"] = vpToken.ToJsonString(),
            ["state"] = plan.Request.State,
            [HostedWalletAttestation.Parameter] = attestation,
        };
    }

    public async Task<HostedPresentation> PresentAsync(HostedWallet wallet, HostedPlan plan, HostedConsent consent, CancellationToken cancellationToken)
    {
        var form = await AnswerAsync(wallet, plan, consent, cancellationToken);
        await http.PostResponseAsync(plan.Request.ResponseUri, form, cancellationToken);
        var now = time.GetUtcNow();
        var presentation = new HostedPresentation
        {
            WalletId = wallet.Id, OdsCode = wallet.OdsCode, StaffId = wallet.StaffId, VerifierName = plan.Request.ClientName, VerifierClientId = Cut(plan.Request.ClientId, 200),
            ResponseUri = Cut(plan.Request.ResponseUri.ToString(), 2000),
            Credentials = Cut(string.Join(",", plan.Answers.Select(a => a.Item.CredentialId)), 4000),
            Disclosed = Cut(string.Join(", ", plan.Answers.SelectMany(a => a.Paths.Select(p => $"{a.Item.Type}:{p}"))), 4000),
            ConsentMethod = consent.Method, ConsentGivenAt = consent.GivenAt, PresentedBy = consent.PresentedBy, PresentedAt = now,
        };
        db.Set<HostedPresentation>().Add(presentation);
        db.Audit.Add(new AuditEntry
        {
            OdsCode = wallet.OdsCode, StaffId = wallet.StaffId, Action = HostedWalletAudit.Presented, Actor = consent.PresentedBy, At = now,
            Reason = Cut($"to {plan.Request.ClientName ?? plan.Request.ClientId}; consent {consent.Method} given {consent.GivenAt:O}"
                + (consent.RecordedBy is null ? "" : $", recorded by {consent.RecordedBy}"), 1000),
        });
        await db.SaveChangesAsync(cancellationToken);
        return presentation;
    }

    private async Task<List<(HostedHeld Item, HeldCredential Held)>> HeldAsync(HostedWallet wallet, CancellationToken cancellationToken)
    {
        // Only credentials still in force: the home organisation knows its own withdrawals and suspensions at once.
        var rows = await (from h in db.Set<HostedCredential>().AsNoTracking()
                          join c in db.Credentials.AsNoTracking() on h.CredentialId equals c.Id
                          where h.WalletId == wallet.Id && c.Status == CredentialStatus.Active
                          select new { h.SdJwt, c.Id, c.Type }).ToListAsync(cancellationToken);
        var held = new List<(HostedHeld, HeldCredential)>(rows.Count);
        foreach (var row in rows)
        {
            if (HeldCredential.TryParse(row.SdJwt, out var credential, out _))
                held.Add((new HostedHeld(row.Id, row.Type, CredentialCatalogue.Find(row.Type)?.Name ?? row.Type), credential));
        }
        return held;
    }

    private static string Cut(string text, int max) => text.Length > max ? text[..max] : text;
}

internal static class HostedWalletAudit
{
    public const string Created = "hosted_wallet_created";
    public const string Stored = "hosted_wallet_stored";
    public const string PlacementCollected = "hosted_placement_collected";
    public const string Presented = "hosted_presented";
}
