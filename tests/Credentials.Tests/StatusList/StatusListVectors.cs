using System.IO.Compression;
using System.Text.Json;
using Passport.Credentials.Jose;

namespace Passport.Credentials.Tests.StatusList;

/// <summary>The draft's long test vectors, kept beside these tests (copied from shared/vectors).</summary>
internal sealed record StatusListVector(int Bits, string Lst, int Size, IReadOnlyDictionary<int, byte> Statuses)
{
    private const string FileName = "token-status-list-vectors.json";

    private static readonly Lazy<IReadOnlyList<StatusListVector>> All = new(Load);

    public static StatusListVector ForBits(int bits) => All.Value.Single(v => v.Bits == bits);

    public static IReadOnlyList<StatusListVector> Every => All.Value;

    private static List<StatusListVector> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Locate()));
        return [.. document.RootElement.EnumerateArray().Select(v => new StatusListVector(
            v.GetProperty("bits").GetInt32(),
            v.GetProperty("lst").GetString()!,
            v.GetProperty("size").GetInt32(),
            v.GetProperty("statuses").EnumerateObject().ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetByte())))];
    }

    // Found by walking up from the test binaries to the project folder, so the csproj needs no copy item.
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "StatusList", FileName);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"Could not find StatusList/{FileName} above {AppContext.BaseDirectory}.");
    }
}

internal static class Zlib
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            zlib.Write(data);
        return output.ToArray();
    }

    public static byte[] Inflate(string lst)
    {
        Assert.True(Base64UrlStrict.TryDecode(lst, out var compressed));
        using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>A zlib stream of <paramref name="zeroBytes"/> zeros, built a megabyte at a time so the test itself stays small.</summary>
    public static string Bomb(long zeroBytes)
    {
        var zeros = new byte[1024 * 1024];
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (long written = 0; written < zeroBytes; written += zeros.Length)
                zlib.Write(zeros);
        }
        return Base64UrlStrict.Encode(output.ToArray());
    }
}
