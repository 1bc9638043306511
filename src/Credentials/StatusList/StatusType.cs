namespace Passport.Credentials.StatusList;

/// <summary>Status Type values registered by draft-ietf-oauth-status-list §7.1.</summary>
public static class StatusType
{
    public const byte Valid = 0x00;

    /// <summary>Revoked; irreversible.</summary>
    public const byte Invalid = 0x01;

    /// <summary>Temporarily invalid; reversible.</summary>
    public const byte Suspended = 0x02;

    /// <summary>The draft leaves 0x03 to application-specific use.</summary>
    public const byte ApplicationSpecific = 0x03;
}
