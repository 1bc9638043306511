namespace Passport.Issuer.Credentials;

public enum CredentialStatus
{
    Active = 0,
    Suspended = 1,
    Revoked = 2,
}

/// <summary>
/// A credential HR issued: the facts it attests, where its status lives, and its lifecycle.
/// The signed SD-JWT VC is minted from it (again, bound to the holder's key, when the wallet collects it).
/// </summary>
public sealed class IssuedCredential
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid StaffId { get; init; }
    public required string Type { get; init; }
    public required string Vct { get; init; }

    /// <summary>The validated input claims, as JSON. Personal data: never in events or logs.</summary>
    public required string Claims { get; init; }

    /// <summary>The source system's own record reference; unique per organisation and type, so re-imports change nothing.</summary>
    public string? SourceReference { get; init; }

    public required int StatusListId { get; init; }
    public required int StatusIndex { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string KeyId { get; init; }

    /// <summary>The SD-JWT VC signed at issuance (not holder-bound): the route for staff without a wallet.</summary>
    public string? SdJwt { get; set; }

    public CredentialStatus Status { get; private set; } = CredentialStatus.Active;
    public string? StatusReason { get; private set; }
    public DateTimeOffset? StatusChangedAt { get; private set; }
    public Guid? ReplacesId { get; init; }

    public bool TryRevoke(string reason, DateTimeOffset now, out string? problem)
    {
        if (Status == CredentialStatus.Revoked)
        {
            problem = "The credential is already withdrawn.";
            return false;
        }
        (Status, StatusReason, StatusChangedAt, problem) = (CredentialStatus.Revoked, reason, now, null);
        return true;
    }

    public bool TrySuspend(string reason, DateTimeOffset now, out string? problem)
    {
        problem = Status switch
        {
            CredentialStatus.Revoked => "A withdrawn credential cannot be suspended.",
            CredentialStatus.Suspended => "The credential is already suspended.",
            _ => null,
        };
        if (problem is not null)
            return false;
        (Status, StatusReason, StatusChangedAt) = (CredentialStatus.Suspended, reason, now);
        return true;
    }

    public bool TryReinstate(DateTimeOffset now, out string? problem)
    {
        if (Status != CredentialStatus.Suspended)
        {
            problem = "Only a suspended credential can be reinstated.";
            return false;
        }
        (Status, StatusReason, StatusChangedAt, problem) = (CredentialStatus.Active, null, now, null);
        return true;
    }
}
