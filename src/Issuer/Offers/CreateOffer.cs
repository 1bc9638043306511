using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Audit;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>
/// HR offers a member of staff their active credentials (OpenID4VCI 1.0 §4.1): a pre-authorized code the wallet
/// reaches through the offer URI (QR code), and a tx_code HR passes on out of band. The tx_code is shown only here.
/// </summary>
internal static class CreateOffer
{
    public const int MaxCredentialsPerOffer = 100;

    public sealed record CreateOfferRequest(
        [MinLength(1, ErrorMessage = "Name at least one credential, or leave credentialIds out to offer every active one.")] List<Guid>? CredentialIds);

    public sealed record TxCodeInfo(string InputMode, int Length, string Description);

    public sealed record CreateOfferResponse(
        Guid Id,
        Guid StaffId,
        IReadOnlyList<Guid> CredentialIds,
        IReadOnlyList<string> CredentialConfigurationIds,
        string CredentialIssuer,
        string CredentialOfferUri,
        string OfferUri,
        string TxCode,
        TxCodeInfo TxCodeInfo,
        DateTimeOffset ExpiresAt,
        string QrPng,
        string QrSvg);

    public const string TxCodeDescription = "Enter the 6-digit code your HR team gave you.";

    public static async Task<Results<Created<CreateOfferResponse>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid staffId, CreateOfferRequest? request, ClaimsPrincipal user, IssuerDbContext db, IDataProtectionProvider dataProtection,
        IOptions<IssuerOptions> options, TxCodeDigests txCodes, TimeProvider time, IssuerMessages? messages, CancellationToken cancellationToken)
    {
        var ods = user.OdsCode();
        if (!await db.Staff.AsNoTracking().AnyAsync(s => s.Id == staffId && s.OdsCode == ods, cancellationToken))
            return Problems.NotFound("staff_not_found", $"Your organisation has no member of staff {staffId}.");

        var active = await db.Credentials.AsNoTracking()
            .Where(c => c.OdsCode == ods && c.StaffId == staffId && c.Status == CredentialStatus.Active)
            .OrderBy(c => c.Id) // version 7: creation order, and sortable on SQLite too
            .Select(c => new { c.Id, c.Type })
            .ToListAsync(cancellationToken);

        var requested = request?.CredentialIds;
        if (requested is not null)
        {
            var unknown = requested.Distinct().Where(id => active.All(c => c.Id != id)).ToList();
            if (unknown.Count > 0)
            {
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    ["credentialIds"] = [$"These are not active credentials of this member of staff: {string.Join(", ", unknown)}."],
                });
            }
        }
        var offered = requested is null ? active : active.Where(c => requested.Contains(c.Id)).ToList();
        if (offered.Count == 0)
            return Problems.Conflict("no_active_credentials", "This member of staff has no active credentials to offer; issue one first.");
        if (offered.Count > MaxCredentialsPerOffer)
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["credentialIds"] = [$"Offer at most {MaxCredentialsPerOffer} credentials at once; name the ones to offer."],
            });
        }
        var configurations = offered.Select(c => c.Type).Distinct().ToList();
        var unsupported = configurations.Where(t => !IssuerMetadata.Supports(t)).ToList();
        if (unsupported.Count > 0)
        {
            return Problems.Conflict("unsupported_credential_type",
                $"These credential types cannot be offered to a wallet: {string.Join(", ", unsupported)}.");
        }

        var now = time.GetUtcNow();
        var code = OfferSecrets.NewToken();
        var txCode = OfferSecrets.NewTxCode();
        var codeHash = OfferSecrets.Hash(code);
        var offer = CredentialOffer.Create(ods, staffId, [.. offered.Select(c => c.Id)], codeHash,
            dataProtection.CreateProtector(OfferSecrets.ProtectorPurpose).Protect(code), txCodes.Digest(txCode, codeHash), txCode.Length,
            user.Actor(), now, options.Value.OfferLifetime);
        db.Offers.Add(offer);
        db.Audit.AddRange(offered.Select(c => new AuditEntry
        {
            OdsCode = ods, StaffId = staffId, CredentialId = c.Id, Action = AuditActions.Offered, Actor = user.Actor(),
            Reason = $"offer {offer.Id}", At = now,
        }));
        // HR's offer is told to the person with it; their own offer (from the browser, messages null) needs no message.
        if (messages is not null)
            await messages.ToStaffAsync(db, staffId, ods, offer.Id, org => messages.OfferWaiting(org, offered.Count), now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        var links = new OfferLinks(options.Value, ods, offer.Id);
        return TypedResults.Created($"/api/offers/{offer.Id}", new CreateOfferResponse(
            offer.Id, staffId, offer.CredentialIds, configurations, links.CredentialIssuer, links.CredentialOfferUri, links.OfferUri,
            txCode, new TxCodeInfo("numeric", txCode.Length, TxCodeDescription), offer.ExpiresAt,
            $"/api/offers/{offer.Id}/qr.png", $"/api/offers/{offer.Id}/qr.svg"));
    }

    /// <summary>The credential offer object (OpenID4VCI 1.0 §4.1.1) the wallet fetches by reference.</summary>
    public static JsonObject OfferObject(string credentialIssuer, IEnumerable<string> configurationIds, string preAuthorizedCode, int txCodeLength) => new()
    {
        ["credential_issuer"] = credentialIssuer,
        ["credential_configuration_ids"] = new JsonArray([.. configurationIds.Select(id => (JsonNode)id)]),
        ["grants"] = new JsonObject
        {
            [RedeemPreAuthorizedCode.GrantType] = new JsonObject
            {
                ["pre-authorized_code"] = preAuthorizedCode,
                ["tx_code"] = new JsonObject { ["input_mode"] = "numeric", ["length"] = txCodeLength, ["description"] = TxCodeDescription },
            },
        },
    };
}

/// <summary>Where an offer lives: the wallet's URL to fetch it, and the <c>openid-credential-offer://</c> link the QR code holds.</summary>
internal readonly record struct OfferLinks(IssuerOptions Options, string OdsCode, Guid OfferId)
{
    public string CredentialIssuer => Options.IssuerIdFor(OdsCode);

    public string CredentialOfferUri => $"{CredentialIssuer}/credential-offers/{OfferId}";

    // OpenID4VCI 1.0 §4.1.3: by reference, so the QR code stays small however many credentials are offered.
    public string OfferUri => "openid-credential-offer://?credential_offer_uri=" + Uri.EscapeDataString(CredentialOfferUri);
}
