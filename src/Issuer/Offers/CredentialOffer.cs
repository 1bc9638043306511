namespace Passport.Issuer.Offers;

public enum OfferState
{
    Open,
    Redeemed,
    Expired,
    Locked,
}

/// <summary>
/// An OpenID4VCI credential offer for one member of staff: a short-lived, single-use pre-authorized code,
/// protected by a tx_code sent out of band. Lookups use SHA-256 hashes of the secrets.
/// </summary>
public sealed class CredentialOffer
{
    public const int MaxTxCodeAttempts = 5;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required List<Guid> CredentialIds { get; init; }
    public required string PreAuthorizedCodeHash { get; init; }

    /// <summary>
    /// The pre-authorized code encrypted with ASP.NET Core Data Protection, so that HR can show the QR code again and the
    /// wallet can fetch the offer by reference while it is open; erased when the code is redeemed.
    /// </summary>
    public string? ProtectedPreAuthorizedCode { get; private set; }

    public required string TxCodeHash { get; init; }
    public required int TxCodeLength { get; init; }

    /// <summary>Every tx_code attempt, counted before the code is compared, so parallel guesses get no more answers than the limit.</summary>
    public int TxCodeAttempts { get; private set; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RedeemedAt { get; private set; }
    public string? AccessTokenHash { get; private set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; private set; }

    /// <summary>
    /// When set, the credential endpoint delivers only to a key proof by this key (RFC 7638 thumbprint): a placement credential
    /// is bound to the key the person proved in the presentation the host decided on, so no other wallet can redeem the offer.
    /// </summary>
    public string? HolderKeyThumbprint { get; init; }

    public static CredentialOffer Create(
        string odsCode, Guid staffId, List<Guid> credentialIds, string preAuthorizedCodeHash, string protectedPreAuthorizedCode,
        string txCodeHash, int txCodeLength, string createdBy, DateTimeOffset now, TimeSpan lifetime, string? holderKeyThumbprint = null)
    {
        var offer = new CredentialOffer
        {
            OdsCode = odsCode, StaffId = staffId, CredentialIds = credentialIds, PreAuthorizedCodeHash = preAuthorizedCodeHash,
            TxCodeHash = txCodeHash, TxCodeLength = txCodeLength, CreatedBy = createdBy, CreatedAt = now, ExpiresAt = now + lifetime,
            HolderKeyThumbprint = holderKeyThumbprint,
        };
        offer.ProtectedPreAuthorizedCode = protectedPreAuthorizedCode;
        return offer;
    }

    public OfferState StateAt(DateTimeOffset now) =>
        RedeemedAt is not null ? OfferState.Redeemed
        : TxCodeAttempts >= MaxTxCodeAttempts ? OfferState.Locked
        : now >= ExpiresAt ? OfferState.Expired
        : OfferState.Open;

    /// <summary>Counts one tx_code attempt; refused once the offer is no longer open.</summary>
    public bool TryCountTxCodeAttempt(DateTimeOffset now, out string? problem)
    {
        problem = Describe(StateAt(now));
        if (problem is not null)
            return false;
        TxCodeAttempts++;
        return true;
    }

    /// <summary>Redeems the pre-authorized code for an access token; the attempt that redeems has already been counted.</summary>
    public bool TryRedeem(string accessTokenHash, DateTimeOffset now, TimeSpan accessTokenLifetime, out string? problem)
    {
        var state = StateAt(now);
        // The attempt being redeemed may itself be the last one allowed.
        problem = state == OfferState.Locked && TxCodeAttempts == MaxTxCodeAttempts ? null : Describe(state);
        if (problem is not null)
            return false;
        RedeemedAt = now;
        AccessTokenHash = accessTokenHash;
        AccessTokenExpiresAt = now + accessTokenLifetime;
        ProtectedPreAuthorizedCode = null;
        return true;
    }

    public bool AccessTokenValidAt(DateTimeOffset now) => AccessTokenExpiresAt is { } expires && now < expires;

    private static string? Describe(OfferState state) => state switch
    {
        OfferState.Redeemed => "The pre-authorized code has already been used; ask HR for a new offer.",
        OfferState.Locked => "Too many wrong transaction codes were entered; ask HR for a new offer.",
        OfferState.Expired => "The pre-authorized code has expired; ask HR for a new offer.",
        _ => null,
    };
}

/// <summary>A c_nonce handed out by the nonce endpoint; single use, short-lived.</summary>
public sealed class IssuanceNonce
{
    public required string Hash { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; private set; }

    public bool TryUse(DateTimeOffset now)
    {
        if (UsedAt is not null || now >= ExpiresAt)
            return false;
        UsedAt = now;
        return true;
    }
}

/// <summary>
/// One credential delivered to a wallet and the wallet's answer about it (OpenID4VCI 1.0 §11): accepted, deleted
/// (the member of staff rejected it, with a reason) or failed. Deleted and failed ones wait for HR to resolve them.
/// </summary>
public sealed class WalletNotification
{
    public static readonly string[] Events = [EventAccepted, EventDeleted, EventFailure];
    public static readonly string[] Reasons = ["duplicate", "incorrect", "not_wanted", "other"];

    public const string EventAccepted = "credential_accepted";
    public const string EventDeleted = "credential_deleted";
    public const string EventFailure = "credential_failure";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid OfferId { get; init; }
    public required Guid CredentialId { get; init; }
    public required string NotificationId { get; init; }
    public required DateTimeOffset DeliveredAt { get; init; }

    /// <summary>The key that signed what the wallet received (null for deliveries recorded before keys were).</summary>
    public string? KeyId { get; init; }

    public string? Event { get; private set; }
    public string? Reason { get; private set; }
    public string? Description { get; private set; }
    public DateTimeOffset? ReceivedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public string? Resolution { get; private set; }

    public bool NeedsResolution => Event is EventDeleted or EventFailure && ResolvedAt is null;

    /// <summary>Records the wallet's latest word: a wallet may accept a credential and delete it later, which reopens it for HR.</summary>
    public void Record(string @event, string? reason, string? description, DateTimeOffset now)
    {
        (Event, Reason, Description, ReceivedAt) = (@event, @event == EventDeleted ? reason ?? "other" : null, description, now);
        if (@event != EventAccepted)
            (ResolvedAt, ResolvedBy, Resolution) = (null, null, null);
    }

    public bool TryResolve(string resolution, string actor, DateTimeOffset now, out string? problem)
    {
        problem = Event switch
        {
            null => "The wallet has not answered about this credential yet; there is nothing to resolve.",
            EventAccepted => "The member of staff accepted this credential; there is nothing to resolve.",
            _ when ResolvedAt is not null => "This notification is already resolved.",
            _ => null,
        };
        if (problem is not null)
            return false;
        (ResolvedAt, ResolvedBy, Resolution) = (now, actor, resolution);
        return true;
    }
}
