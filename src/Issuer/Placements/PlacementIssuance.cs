using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Contracts;
using Passport.Issuer.Audit;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Keys;
using Passport.Issuer.Offers;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.Messaging;

namespace Passport.Issuer.Placements;

/// <summary>
/// Where the host learns a visitor's names. Events carry identifiers only, so the Issuer on its own knows none: the embedded
/// host, where the Verifier's deployments sit in the same process, supplies them; a split deployment may plug in its own.
/// </summary>
public interface IVisitorNames
{
    Task<(string? GivenName, string? FamilyName)> FindAsync(string hostOdsCode, Guid deploymentId, CancellationToken cancellationToken);
}

internal sealed class NoVisitorNames : IVisitorNames
{
    public Task<(string? GivenName, string? FamilyName)> FindAsync(string hostOdsCode, Guid deploymentId, CancellationToken cancellationToken) =>
        Task.FromResult<(string?, string?)>((null, null));
}

/// <summary>
/// Issues, re-issues and withdraws the host's placement credential for a deployment, with its status list entry, offer, events and
/// audit in the caller's unit of work. The credential is about a <see cref="Visitor"/>: its <c>sub</c> is the visitor's id at the host.
/// </summary>
internal sealed class PlacementIssuance(
    IssuerDbContext db, StatusLists statusLists, CredentialStatusChanges statusChanges, SigningKeys keys, CredentialMinter minter, IDataProtectionProvider dataProtection,
    TxCodeDigests txCodes, IOptions<IssuerOptions> issuerOptions, IOptions<CatalogueOptions> catalogueOptions)
{
    public const string Actor = "placement";
    public const string TxCodePurpose = "Passport.Issuer.Placements.TxCode.v1";
    public const string SupersededReason = "superseded";
    public const string EndedReason = "placement_ended";
    public const string CancelledReason = "placement_cancelled";

    /// <summary>The offer stays open longer than HR's: it waits for the person's arrival, and only the bound wallet can redeem it.</summary>
    public static readonly TimeSpan OfferLifetime = TimeSpan.FromDays(14);

    /// <summary>Issues the placement credential (replacing <paramref name="replaces"/> if given) and offers it to the bound wallet.</summary>
    public async Task<bool> IssueAsync(Placement placement, Visitor visitor, DateOnly end, IssuedCredential? replaces, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(visitor);
        var host = await db.Organisations.AsNoTracking().FirstAsync(o => o.OdsCode == placement.HostOdsCode, cancellationToken);
        var type = CredentialCatalogue.Find("placement")!;
        var input = new JsonObject
        {
            ["department"] = placement.Department,
            ["start_date"] = Iso(placement.Start),
            ["end_date"] = Iso(end),
            ["licence_to_attend"] = Terms(host.Name, placement.Department, placement.Start, end),
            ["home_ods_code"] = placement.HomeOdsCode,
        };
        if (placement.AgreementId is { } agreement)
            input["agreement"] = agreement.ToString();
        if (visitor.GivenName is { Length: > 0 } given)
            input["given_name"] = given;
        if (visitor.FamilyName is { Length: > 0 } family)
            input["family_name"] = family;
        var provenance = new JsonObject
        {
            ["origin_system"] = "passport",
            ["method"] = "workforce_sharing_agreement",
            ["verified_by"] = placement.DecisionId is { } decision ? $"decision {decision}" : Actor,
        };
        var (claims, expiresAt, errors) = type.Build(input, provenance, VisitorContext(host, visitor, now, catalogueOptions.Value));
        if (claims is null)
        {
            placement.MarkNotIssued($"The placement could not be issued: {string.Join(" ", errors.ToDictionary().SelectMany(e => e.Value))}", now);
            return false;
        }

        var slot = (await statusLists.AllocateAsync(host.OdsCode, 1, cancellationToken))[0];
        var key = await keys.GetActiveAsync(host.OdsCode, cancellationToken);
        var credential = new IssuedCredential
        {
            OdsCode = host.OdsCode, StaffId = visitor.Id, Type = type.Key,
            Vct = CredentialCatalogue.VctFor(issuerOptions.Value, catalogueOptions.Value, type.Key),
            Claims = claims.ToJsonString(),
            // Unique per organisation and type: a second issue for the same deployment and end is refused by the database.
            SourceReference = $"deployment {placement.DeploymentId} to {Iso(end)}",
            StatusListId = slot.ListId, StatusIndex = slot.Index, IssuedAt = now, ExpiresAt = expiresAt, KeyId = key.Reference.KeyId,
            ReplacesId = replaces?.Id,
        };
        credential.SdJwt = await minter.MintAsync(credential, claims, key, holderKey: null, cancellationToken);
        db.Credentials.Add(credential);
        db.AddOutboxMessage(new CredentialIssued
        {
            CredentialId = credential.Id, IssuerOdsCode = host.OdsCode, StaffId = visitor.Id, CredentialType = type.Key, IssuedAt = now, ExpiresAt = expiresAt,
        }, now);
        db.Audit.Add(Audit(credential, replaces is null ? AuditActions.Issued : AuditActions.Reissued, $"deployment {placement.DeploymentId}", now));
        if (replaces is not null)
            await statusChanges.RevokeAsync(replaces, SupersededReason, Actor, $"superseded by {credential.Id}: the deployment now ends on {end:d MMMM yyyy}", now, cancellationToken);

        var code = OfferSecrets.NewToken();
        var txCode = OfferSecrets.NewTxCode();
        var codeHash = OfferSecrets.Hash(code);
        var lifetime = expiresAt - now < OfferLifetime ? expiresAt - now : OfferLifetime;
        var offer = CredentialOffer.Create(host.OdsCode, visitor.Id, [credential.Id], codeHash,
            dataProtection.CreateProtector(OfferSecrets.ProtectorPurpose).Protect(code), txCodes.Digest(txCode, codeHash), txCode.Length,
            Actor, now, lifetime, placement.HolderKeyThumbprint);
        db.Offers.Add(offer);
        db.Audit.Add(Audit(credential, AuditActions.Offered, $"offer {offer.Id}, bound to holder key {placement.HolderKeyThumbprint}", now));
        placement.Offer(credential.Id, offer.Id, dataProtection.CreateProtector(TxCodePurpose).Protect(txCode), end, now);
        return true;
    }

    /// <summary>Withdraws the placement's credential with a reason code and, for people, the same reason in words.</summary>
    public async Task WithdrawAsync(Placement placement, string reasonCode, string words, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.CredentialId is { } id && await db.Credentials.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } credential)
            await statusChanges.RevokeAsync(credential, reasonCode, Actor, words, now, cancellationToken);
        placement.Withdraw(words, now);
    }

    public static string Terms(string host, string department, DateOnly start, DateOnly end) =>
        $"The holder may attend {host}, {department}, from {start.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} to " +
        $"{end.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} inclusive, under the workforce sharing agreement, to work in the role " +
        "they were verified for. It is valid only while its status is valid and only with the holder's own home credentials; " +
        "the host's local induction, policies and supervision apply.";

    // The placement's claims draw only on the host organisation; the catalogue's context wants a staff record, so the visitor
    // stands in as one that is never stored.
    private static IssueContext VisitorContext(Organisation host, Visitor visitor, DateTimeOffset now, CatalogueOptions options) => new(
        host,
        new StaffMember
        {
            Id = visitor.Id, OdsCode = host.OdsCode, GivenName = visitor.GivenName ?? "", FamilyName = visitor.FamilyName ?? "",
            DateOfBirth = default, AssignmentNumber = "visitor", CreatedAt = visitor.CreatedAt,
        },
        now, Actor, options);

    private static AuditEntry Audit(IssuedCredential credential, string action, string reason, DateTimeOffset now) => new()
    {
        OdsCode = credential.OdsCode, StaffId = credential.StaffId, CredentialId = credential.Id, Action = action, Actor = Actor,
        Reason = reason.Length > 1000 ? reason[..1000] : reason, At = now,
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
