namespace Passport.Issuer.Offers;

/// <summary>
/// An OpenID4VCI credential offer for one member of staff: a short-lived, single-use pre-authorized code,
/// protected by a tx_code sent out of band. Only hashes of the secrets are stored.
/// </summary>
public sealed class CredentialOffer
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required List<Guid> CredentialIds { get; init; }
    public required string PreAuthorizedCodeHash { get; init; }
    public required string TxCodeHash { get; init; }
    public int FailedTxCodeAttempts { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? RedeemedAt { get; set; }
    public string? AccessTokenHash { get; set; }
    public DateTimeOffset? AccessTokenExpiresAt { get; set; }
    public List<Guid> DeliveredCredentialIds { get; init; } = [];
}

/// <summary>A c_nonce handed out by the nonce endpoint; single use, short-lived.</summary>
public sealed class IssuanceNonce
{
    public required string Hash { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>The wallet's answer about a delivered credential (OpenID4VCI §11): accepted, deleted (rejected), or failed.</summary>
public sealed class WalletNotification
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid CredentialId { get; init; }
    public required string NotificationId { get; init; }
    public string? Event { get; set; }
    public string? Reason { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? Resolution { get; set; }
}
