using System.Buffers.Binary;
using System.IO.Compression;
using Passport.Credentials.Jose;

namespace Passport.Credentials.StatusList;

/// <summary>
/// A Token Status List (draft-ietf-oauth-status-list §4): a byte array of statuses, each <see cref="Bits"/> wide,
/// packed least significant bits first, so index 0 sits in the lowest bits of byte 0.
/// </summary>
public sealed class StatusList
{
    private const int ChunkSize = 64 * 1024;

    private readonly byte[] _bytes;

    /// <summary>A list of <paramref name="size"/> statuses, all <see cref="StatusType.Valid"/>.</summary>
    public StatusList(int size, int bits)
    {
        if (!IsAllowedBits(bits))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Bits per status must be 1, 2, 4 or 8.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var byteCount = ((long)size * bits + 7) / 8;
        _bytes = new byte[byteCount];
        Bits = bits;
        Size = size;
    }

    private StatusList(byte[] bytes, int bits)
    {
        _bytes = bytes;
        Bits = bits;
        // A decoded list carries no size: every position in the byte array is an index (§4.1).
        Size = (int)Math.Min(int.MaxValue, (long)bytes.Length * (8 / bits));
    }

    public int Bits { get; }

    /// <summary>Wraps packed statuses kept elsewhere (a database row); the bytes are copied.</summary>
    public static StatusList FromBytes(ReadOnlySpan<byte> packed, int bits, int size)
    {
        var list = new StatusList(size, bits);
        if (packed.Length != list._bytes.Length)
            throw new ArgumentException($"{size} statuses of {bits} bits take {list._bytes.Length} bytes, not {packed.Length}.", nameof(packed));
        packed.CopyTo(list._bytes);
        return list;
    }

    /// <summary>A copy of the packed statuses.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>How many indexes the list holds; valid indexes are 0 to <c>Size - 1</c>.</summary>
    public int Size { get; }

    /// <exception cref="ArgumentOutOfRangeException">The index is outside the list, or the value does not fit in <see cref="Bits"/>.</exception>
    public byte this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
            return Read(index);
        }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Size);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, Mask, nameof(value));
            var (byteIndex, shift) = Locate(index);
            _bytes[byteIndex] = (byte)((_bytes[byteIndex] & ~(Mask << shift)) | (value << shift));
        }
    }

    private int Mask => (1 << Bits) - 1;

    /// <summary>Reads a status for verification: an index from a credential that is outside the list is an error, not an exception.</summary>
    public bool TryGet(long index, out byte status, out CredentialError? error)
    {
        if (index < 0 || index >= Size)
        {
            status = 0;
            error = CredentialError.Of(ErrorCodes.StatusIndexOutOfRange,
                $"The status index {index} is outside the status list, which holds indexes 0 to {Size - 1}.");
            return false;
        }
        status = Read((int)index);
        error = null;
        return true;
    }

    /// <summary>The <c>lst</c> value: ZLIB (RFC 1950) at the highest compression level, then base64url without padding (§4.1, §4.2).</summary>
    public string Encode()
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            zlib.Write(_bytes);
        return Base64UrlStrict.Encode(compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
    }

    /// <summary>
    /// Decodes an <c>lst</c> value. Decompression stops as soon as it passes <paramref name="maxDecompressedBytes"/>,
    /// so a small, highly compressed input cannot make the caller allocate without bound.
    /// </summary>
    public static bool TryDecode(string lst, int bits, long maxDecompressedBytes, out StatusList list, out CredentialError? error)
    {
        ArgumentNullException.ThrowIfNull(lst);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecompressedBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDecompressedBytes, Array.MaxLength);
        list = null!;
        if (!IsAllowedBits(bits))
        {
            error = CredentialError.Of(ErrorCodes.InvalidStatusList, $"The status list has bits {bits}; it must be 1, 2, 4 or 8.");
            return false;
        }
        if (!TryDecodeBase64Url(lst, out var compressed))
        {
            error = CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list 'lst' is not base64url without padding.");
            return false;
        }
        if (!TryInflate(compressed, maxDecompressedBytes, out var bytes, out error))
            return false;
        if (bytes.Length == 0)
        {
            error = CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list is empty; it must hold at least one status.");
            return false;
        }
        list = new StatusList(bytes, bits);
        error = null;
        return true;
    }

    private static bool TryInflate(byte[] compressed, long maxBytes, out byte[] bytes, out CredentialError? error)
    {
        bytes = [];
        error = null;
        // Chunks rather than a growing MemoryStream: allocation stays near the bytes actually produced,
        // and a bomb is refused after at most maxBytes + one chunk.
        var chunks = new List<byte[]>();
        long total = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, writable: false), CompressionMode.Decompress);
            while (true)
            {
                var chunk = new byte[ChunkSize];
                var filled = FillChunk(zlib, chunk);
                if (filled == 0)
                    break;
                total += filled;
                if (total > maxBytes)
                {
                    error = CredentialError.Of(ErrorCodes.StatusListTooLarge,
                        $"The status list decompresses to more than {maxBytes} bytes, the most this verifier accepts.");
                    return false;
                }
                chunks.Add(filled == ChunkSize ? chunk : chunk[..filled]);
                if (filled < ChunkSize)
                    break;
            }
        }
        catch (InvalidDataException)
        {
            error = CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list 'lst' is not valid ZLIB (RFC 1950) compressed data.");
            return false;
        }
        bytes = new byte[total];
        var offset = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(bytes, offset);
            offset += chunk.Length;
        }
        // The inflater stops quietly at the end of a truncated stream. RFC 1950 §2.2 ends a stream with the
        // Adler-32 of the data, so checking it refuses truncated input and trailing bytes alike.
        if (compressed.Length < 6 || BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(^4)) != Adler32(bytes))
        {
            bytes = [];
            error = CredentialError.Of(ErrorCodes.InvalidStatusList, "The status list 'lst' is truncated or has bytes after the end of its ZLIB stream.");
            return false;
        }
        return true;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Modulus = 65521;
        // zlib's NMAX: the most bytes that can be summed before b could overflow 32 bits.
        const int Block = 5552;
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(Block, data.Length)];
            foreach (var x in block)
            {
                a += x;
                b += a;
            }
            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }
        return (b << 16) | a;
    }

    private static int FillChunk(Stream source, byte[] chunk)
    {
        var filled = 0;
        while (filled < chunk.Length)
        {
            var read = source.Read(chunk, filled, chunk.Length - filled);
            if (read == 0)
                break;
            filled += read;
        }
        return filled;
    }

    private static bool TryDecodeBase64Url(string text, out byte[] bytes) => Base64UrlStrict.TryDecode(text, out bytes);

    private static bool IsAllowedBits(int bits) => bits is 1 or 2 or 4 or 8;

    private byte Read(int index)
    {
        var (byteIndex, shift) = Locate(index);
        return (byte)((_bytes[byteIndex] >> shift) & Mask);
    }

    private (int ByteIndex, int Shift) Locate(int index)
    {
        var perByte = 8 / Bits;
        return (index / perByte, index % perByte * Bits);
    }
}
