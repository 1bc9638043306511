using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Passport.Verifier.Trust;

/// <summary>
/// The status list entries presentations claim, read from their issuer JWTs before anything is verified, only as keys for
/// the read that comes before verifying. Nothing here is trusted: a notice read with these keys counts only for a credential
/// that then verifies with that very entry (<see cref="PrefetchedNotices"/>).
/// </summary>
internal static class ClaimedStatusEntries
{
    public static HashSet<(string Uri, long Index)> Of(IEnumerable<string> presentations)
    {
        ArgumentNullException.ThrowIfNull(presentations);
        var entries = new HashSet<(string Uri, long Index)>();
        foreach (var presentation in presentations)
        {
            if (TryRead(presentation, out var entry))
                entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The issuer JWT's <c>status.status_list</c> {uri, idx}; false when it has none or is not even a JWT.</summary>
    public static bool TryRead(string presentation, out (string Uri, long Index) entry)
    {
        entry = default;
        var jwtEnd = presentation.IndexOf('~', StringComparison.Ordinal);
        var jwt = presentation.AsSpan(0, jwtEnd < 0 ? presentation.Length : jwtEnd);
        var first = jwt.IndexOf('.');
        var second = first < 0 ? -1 : jwt[(first + 1)..].IndexOf('.');
        if (second < 0)
            return false;
        var payload = jwt.Slice(first + 1, second);
        var bytes = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (Base64Url.DecodeFromChars(payload, bytes, out _, out var written) != OperationStatus.Done)
                return false;
            return TryFind(bytes.AsMemory(0, written), out entry);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    // Nothing here is verified yet, and it becomes a query parameter: printable ASCII only, within the column's length, so that
    // a forged NUL or a lone surrogate cannot fail the read. A credential with any other URI has its notices read after verifying.
    private static bool IsPlainUri(string text) =>
        text.Length is > 0 and <= MaxUriLength && text.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0;

    private const int MaxUriLength = 2048;

    private static bool TryFind(ReadOnlyMemory<byte> json, out (string Uri, long Index) entry)
    {
        entry = default;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("status_list", out var list) && list.ValueKind == JsonValueKind.Object
                && list.TryGetProperty("idx", out var idx) && idx.ValueKind == JsonValueKind.Number && idx.TryGetInt64(out var index) && index >= 0
                && list.TryGetProperty("uri", out var uri) && uri.ValueKind == JsonValueKind.String && uri.GetString() is { } text && IsPlainUri(text))
            {
                entry = (text, index);
                return true;
            }
            return false;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // not JSON, or a string that is not valid UTF-16
        {
            return false;
        }
    }
}

/// <summary>
/// Status notices read before verifying, for the entries the presentations claimed. They answer only for a credential whose
/// verified entry is among those claimed (<see cref="Covers"/>); any other credential's notices are read after verifying.
/// </summary>
internal sealed record PrefetchedNotices(IReadOnlySet<(string Uri, long Index)> Claimed, IReadOnlyList<StatusNotice.NoticeRow> Rows)
{
    public bool Covers(string uri, long index) => Claimed.Contains((uri, index));
}
