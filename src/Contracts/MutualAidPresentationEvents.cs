namespace Passport.Contracts;

// Wire format: the namespace and names of these records never change. Add optional properties only.

/// <summary>
/// The host asked a consenting member of a mutual-aid request for their credentials: an OpenID4VP request whose wallet link
/// the person opens (the link carries the host's client id and request_uri, nothing about the person).
/// </summary>
public sealed record MutualAidPresentationRequested
{
    public required Guid RequestId { get; init; }
    public required Guid MemberId { get; init; }
    public required string HomeOdsCode { get; init; }
    public required string HostOdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required Guid PresentationRequestId { get; init; }
    public required string WalletLink { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
