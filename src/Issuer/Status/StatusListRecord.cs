using Passport.Credentials.StatusList;

namespace Passport.Issuer.Status;

/// <summary>One organisation's 2-bit Token Status List: raw statuses, and the signed token last made from them.</summary>
public sealed class StatusListRecord
{
    public int Id { get; init; }
    public required string OdsCode { get; init; }
    public required int Size { get; init; }
    public int Bits { get; init; } = 2;

    /// <summary>Packed statuses (LSB-first), exactly as the list encodes them.</summary>
    public required byte[] Data { get; set; }

    /// <summary>How many positions of the list have been handed out (each at most once); a list takes credentials up to half its size.</summary>
    public int Allocated { get; set; }

    /// <summary>
    /// The secret key of the list's <see cref="StatusIndexPermutation"/>: position n gets index permutation[n]. Null for a list
    /// opened before lists had one; such a list goes on picking random unused indexes until it is half full.
    /// </summary>
    public byte[]? PermutationKey { get; init; }
    public long Version { get; set; }
    public required DateTimeOffset UpdatedAt { get; set; }
    public string? Token { get; set; }
    public long TokenVersion { get; set; } = -1;
    public DateTimeOffset? TokenExpiresAt { get; set; }

    public void Set(int index, byte status, DateTimeOffset now)
    {
        var list = StatusList.FromBytes(Data, Bits, Size);
        list[index] = status;
        Data = list.ToBytes();
        Version++;
        UpdatedAt = now;
    }
}
