using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Audit;
using Passport.Issuer.Data;
using Passport.Issuer.Offers;
using Passport.Issuer.Placements;
using Passport.Issuer.Staff;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

/// <summary>
/// The hosted wallet collects a placement credential the host offered to its key, as a wallet app would: over HTTP, through the
/// OpenID4VCI pre-authorised-code flow (token with the transaction code, nonce, a <c>jwt</c> proof signed with the hosted key,
/// credential), and keeps it accepted. The host may be another Issuer; only the offer's address comes from this one.
/// </summary>
internal static class CollectPlacement
{
    public static async Task<Results<Ok<HostedWalletResponse>, ProblemHttpResult>> ForStaff(
        Guid id, Guid deploymentId, ClaimsPrincipal user, IssuerDbContext db, HostedWalletKeys keys, HostedWalletHttp http,
        IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var wallet = await GetHostedWallet.FindAsync(db, user.OdsCode(), id, cancellationToken);
        if (wallet is null)
            return GetHostedWallet.NotFound();
        return await CollectAsync(wallet, deploymentId, user.Actor(), db, keys, http, dataProtection, options.Value, time, cancellationToken);
    }

    public static async Task<Results<Ok<HostedWalletResponse>, ProblemHttpResult>> ForMe(
        Guid deploymentId, ClaimsPrincipal user, IssuerDbContext db, HostedWalletKeys keys, HostedWalletHttp http,
        IDataProtectionProvider dataProtection, IOptions<IssuerOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (staff, problem) = await CurrentStaff.FindAsync(user, db, cancellationToken);
        if (staff is null)
            return problem!;
        var wallet = await GetHostedWallet.FindAsync(db, staff.OdsCode, staff.Id, cancellationToken);
        if (wallet is null)
            return Problems.NotFound("hosted_wallet_not_found", "You have no hosted passport; ask HR to keep your passport for you if you have no wallet app.");
        return await CollectAsync(wallet, deploymentId, user.Actor(), db, keys, http, dataProtection, options.Value, time, cancellationToken);
    }

    private static async Task<Results<Ok<HostedWalletResponse>, ProblemHttpResult>> CollectAsync(
        HostedWallet wallet, Guid deploymentId, string actor, IssuerDbContext db, HostedWalletKeys keys, HostedWalletHttp http,
        IDataProtectionProvider dataProtection, IssuerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var visitors = db.Set<Visitor>().Where(v => v.HomeOdsCode == wallet.OdsCode && v.HomeStaffId == wallet.StaffId).Select(v => v.Id);
        var placement = await db.Set<Placement>().AsNoTracking()
            .FirstOrDefaultAsync(p => p.DeploymentId == deploymentId && visitors.Contains(p.VisitorId), cancellationToken);
        if (placement is null)
            return Problems.NotFound("placement_not_found", $"This person has no placement credential for deployment {deploymentId}; it is offered when the deployment starts.");
        if (placement.CredentialId is { } credentialId
            && await db.Set<HostedCredential>().AnyAsync(h => h.WalletId == wallet.Id && h.CredentialId == credentialId, cancellationToken))
            return Problems.Conflict("placement_already_collected", "This placement credential is already in the hosted wallet.");
        var offer = placement.OfferId is { } offerId ? await db.Offers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == offerId, cancellationToken) : null;
        var now = time.GetUtcNow();
        if (placement.State != PlacementState.Offered || placement.CredentialId is null || offer is null || offer.StateAt(now) != OfferState.Open
            || placement.ProtectedTxCode is not { } protectedTxCode || TryUnprotect(dataProtection.CreateProtector(PlacementIssuance.TxCodePurpose), protectedTxCode) is not { } txCode)
            return Problems.Conflict("placement_not_offered", "This placement credential has no open offer to collect; it may have been collected, withdrawn or expired.");
        if (placement.HolderKeyThumbprint != HostedWalletKeys.PublicKeyOf(wallet).Thumbprint())
            return Problems.Conflict("placement_other_key", "This placement credential was offered to the key of the person's own wallet app, not to their hosted wallet.");

        Redeemed redeemed;
        try
        {
            redeemed = await RedeemAsync(new OfferLinks(options, placement.HostOdsCode, offer.Id), txCode, wallet, keys, http, now, cancellationToken);
        }
        catch (HostedWalletException e)
        {
            return Problems.Problem(e.Status, e.Code, e.Message);
        }
        var sdJwt = redeemed.SdJwt;
        if (!HeldCredential.TryParse(sdJwt, out var held, out _) || held.Jwt.Header["kid"] is not JsonValue kidValue || !kidValue.TryGetValue<string>(out var kid))
            return Problems.Problem(StatusCodes.Status502BadGateway, "placement_unreadable", "The host issued something that is not a credential; nothing was kept. Ask the host to offer it again.");

        db.Set<HostedCredential>().Add(new HostedCredential
        {
            WalletId = wallet.Id, CredentialId = placement.CredentialId.Value, KeyId = kid, StoredAt = now, SdJwt = sdJwt,
        });
        db.Audit.Add(new AuditEntry
        {
            OdsCode = wallet.OdsCode, StaffId = wallet.StaffId, CredentialId = placement.CredentialId, Action = HostedWalletAudit.PlacementCollected, Actor = actor,
            At = now, Reason = $"placement at {placement.HostOdsCode}, deployment {deploymentId}, hosted wallet",
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            return Problems.Conflict("placement_already_collected", "This placement credential is already in the hosted wallet.");
        }
        await NotifyAcceptedAsync(http, redeemed, cancellationToken);
        return TypedResults.Ok(await GetHostedWallet.ResponseAsync(db, wallet, cancellationToken));
    }

    private sealed record Redeemed(string SdJwt, string Issuer, string AccessToken, string? NotificationId);

    private static async Task<Redeemed> RedeemAsync(
        OfferLinks links, string txCode, HostedWallet wallet, HostedWalletKeys keys, HostedWalletHttp http, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var document = await http.SendForJsonAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(links.CredentialOfferUri)), "fetching the offer", cancellationToken);
        var issuer = document["credential_issuer"] is JsonValue i && i.TryGetValue<string>(out var s) ? s : null;
        var code = document["grants"]?["urn:ietf:params:oauth:grant-type:pre-authorized_code"]?["pre-authorized_code"] is JsonValue c && c.TryGetValue<string>(out var v) ? v : null;
        if (issuer != links.CredentialIssuer || code is null)
            throw new HostedWalletException("placement_offer_unreadable", "The placement offer is not one the hosted wallet can collect.", StatusCodes.Status502BadGateway);

        var token = await http.SendForJsonAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:pre-authorized_code", ["pre-authorized_code"] = code, ["tx_code"] = txCode,
            }),
        }, "redeeming the offer", cancellationToken);
        var nonceResponse = await http.SendForJsonAsync(new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/nonce")), "asking for a nonce", cancellationToken);
        if (token["access_token"] is not JsonValue at || !at.TryGetValue<string>(out var accessToken)
            || nonceResponse["c_nonce"] is not JsonValue n || !n.TryGetValue<string>(out var nonce))
            throw new HostedWalletException("placement_offer_unreadable", "The host's answer is not one the hosted wallet can use.", StatusCodes.Status502BadGateway);

        string proof;
        using (var holder = keys.Open(wallet))
        {
            proof = await CompactJws.SignAsync(
                new JsonObject { ["typ"] = "openid4vci-proof+jwt", ["jwk"] = HostedWalletKeys.PublicKeyOf(wallet).ToJson(includeKid: false) },
                new JsonObject { ["aud"] = issuer, ["iat"] = now.ToUnixTimeSeconds(), ["nonce"] = nonce },
                holder.Signer, holder.Signer.Reference, cancellationToken);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/credential"))
        {
            Content = new StringContent(new JsonObject
            {
                ["credential_configuration_id"] = "placement", ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proof) },
            }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var credential = await http.SendForJsonAsync(request, "collecting the credential", cancellationToken);
        var notificationId = credential["notification_id"] is JsonValue ni && ni.TryGetValue<string>(out var id) ? id : null;
        return credential["credentials"]?[0]?["credential"] is JsonValue cv && cv.TryGetValue<string>(out var sdJwt)
            ? new Redeemed(sdJwt, issuer, accessToken, notificationId)
            : throw new HostedWalletException("placement_unreadable", "The host issued something that is not a credential; nothing was kept. Ask the host to offer it again.", StatusCodes.Status502BadGateway);
    }

    // As a wallet app does after keeping a credential (OpenID4VCI §11); the credential is kept whether or not the host hears it.
    private static async Task NotifyAcceptedAsync(HostedWalletHttp http, Redeemed redeemed, CancellationToken cancellationToken)
    {
        if (redeemed.NotificationId is null)
            return;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{redeemed.Issuer}/notification"))
        {
            Content = new StringContent(new JsonObject { ["notification_id"] = redeemed.NotificationId, ["event"] = "credential_accepted" }.ToJsonString(),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", redeemed.AccessToken);
        try
        {
            await http.SendForJsonAsync(request, "telling the host the credential was kept", cancellationToken);
        }
        catch (HostedWalletException)
        {
        }
    }

    private static string? TryUnprotect(IDataProtector protector, string value)
    {
        try
        {
            return protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
