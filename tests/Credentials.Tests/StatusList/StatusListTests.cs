using Passport.Credentials.Jose;
using Passport.Credentials.StatusList;
using TokenStatusList = Passport.Credentials.StatusList.StatusList;

namespace Passport.Credentials.Tests.StatusList;

public sealed class StatusListTests
{
    private const long Limit = 16 * 1024 * 1024;

    // draft-ietf-oauth-status-list §4.1 (1 bit) and "Further Examples" (2 bits).
    private static readonly byte[] OneBitExample = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    private static readonly byte[] TwoBitExample = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];

    [Fact]
    public void Decodes_the_one_bit_example_from_the_draft_to_its_sixteen_statuses()
    {
        Assert.True(TokenStatusList.TryDecode("eNrbuRgAAhcBXQ", 1, Limit, out var list, out var error), error?.ToString());

        Assert.Equal(16, list.Size);
        Assert.Equal(OneBitExample, Statuses(list));
    }

    [Fact]
    public void Decodes_the_two_bit_example_from_the_draft_to_its_twelve_statuses()
    {
        Assert.True(TokenStatusList.TryDecode("eNo76fITAAPfAgc", 2, Limit, out var list, out var error), error?.ToString());

        // Three bytes hold twelve two-bit statuses exactly.
        Assert.Equal(12, list.Size);
        Assert.Equal(TwoBitExample, Statuses(list));
    }

    [Theory]
    [InlineData(1, new byte[] { 0xB9, 0xA3 })]
    [InlineData(2, new byte[] { 0xC9, 0x44, 0xF9 })]
    public void Packs_statuses_least_significant_bits_first_into_the_draft_byte_arrays(int bits, byte[] expectedBytes)
    {
        var statuses = bits == 1 ? OneBitExample : TwoBitExample;
        var list = new TokenStatusList(statuses.Length, bits);
        for (var i = 0; i < statuses.Length; i++)
            list[i] = statuses[i];

        Assert.Equal(expectedBytes, Zlib.Inflate(list.Encode()));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Decodes_each_long_vector_to_exactly_the_listed_statuses(int bits)
    {
        var vector = StatusListVector.ForBits(bits);

        Assert.True(TokenStatusList.TryDecode(vector.Lst, bits, Limit, out var list, out var error), error?.ToString());

        Assert.Equal(vector.Size, list.Size);
        AssertMatches(vector, list);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void Re_encoding_each_long_vector_decodes_to_the_same_statuses(int bits)
    {
        var vector = StatusListVector.ForBits(bits);
        var list = new TokenStatusList(vector.Size, bits);
        foreach (var (index, status) in vector.Statuses)
            list[index] = status;

        Assert.True(TokenStatusList.TryDecode(list.Encode(), bits, Limit, out var decoded, out var error), error?.ToString());

        Assert.Equal(vector.Size, decoded.Size);
        AssertMatches(vector, decoded);
    }

    [Fact]
    public void The_vector_file_holds_the_four_long_vectors()
    {
        Assert.Equal([1, 2, 4, 8], StatusListVector.Every.Select(v => v.Bits).Order());
    }

    [Fact]
    public void Setting_one_status_leaves_its_neighbours_alone()
    {
        var list = new TokenStatusList(8, 2);
        list[1] = StatusType.Suspended;
        list[2] = StatusType.Invalid;
        list[1] = StatusType.Valid;

        Assert.Equal(new byte[] { 0, 0, 1, 0, 0, 0, 0, 0 }, Statuses(list));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(11)]
    public void The_indexer_throws_for_an_index_outside_the_list(int index)
    {
        var list = new TokenStatusList(10, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[index]);
        Assert.Throws<ArgumentOutOfRangeException>(() => list[index] = StatusType.Invalid);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(16L)]
    [InlineData(long.MaxValue)]
    public void TryGet_reports_an_index_outside_a_decoded_list_as_status_index_out_of_range(long index)
    {
        Assert.True(TokenStatusList.TryDecode("eNrbuRgAAhcBXQ", 1, Limit, out var list, out _));

        Assert.False(list.TryGet(index, out _, out var error));

        Assert.Equal(ErrorCodes.StatusIndexOutOfRange, error!.Code);
    }

    [Fact]
    public void TryGet_reads_the_last_index_of_a_decoded_list()
    {
        Assert.True(TokenStatusList.TryDecode("eNrbuRgAAhcBXQ", 1, Limit, out var list, out _));

        Assert.True(list.TryGet(15, out var status, out var error));

        Assert.Null(error);
        Assert.Equal(StatusType.Invalid, status);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 16)]
    public void Setting_a_value_wider_than_the_bits_throws(int bits, int value)
    {
        var list = new TokenStatusList(4, bits);

        Assert.Throws<ArgumentOutOfRangeException>(() => list[0] = (byte)value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(16)]
    public void A_new_list_refuses_bits_other_than_1_2_4_or_8(int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenStatusList(8, bits));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(16)]
    public void Decoding_refuses_bits_other_than_1_2_4_or_8(int bits)
    {
        Assert.False(TokenStatusList.TryDecode("eNrbuRgAAhcBXQ", bits, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Theory]
    [InlineData("eNrbuRgAAhcBXQ==")]
    [InlineData("eNrbuRgAAhcBXQ=")]
    [InlineData("eNrbuRgAAhcB+Q")]
    [InlineData("eNrbuRgAAhcB/Q")]
    [InlineData("eNrbuRgA AhcBXQ")]
    [InlineData("eNrbuRgAAhcBXQa")]
    public void Decoding_refuses_lst_that_is_not_strict_base64url(string lst)
    {
        Assert.False(TokenStatusList.TryDecode(lst, 1, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Fact]
    public void Decoding_refuses_bytes_that_are_not_zlib()
    {
        var lst = Base64UrlStrict.Encode("not a zlib stream at all"u8);

        Assert.False(TokenStatusList.TryDecode(lst, 1, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Fact]
    public void Decoding_refuses_a_zlib_stream_with_a_wrong_checksum()
    {
        var compressed = Zlib.Compress([0xB9, 0xA3]);
        compressed[^1] ^= 0x01;

        Assert.False(TokenStatusList.TryDecode(Base64UrlStrict.Encode(compressed), 1, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Decoding_refuses_a_truncated_zlib_stream(int missingBytes)
    {
        var compressed = Zlib.Compress([0xB9, 0xA3, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]);

        Assert.False(TokenStatusList.TryDecode(Base64UrlStrict.Encode(compressed.AsSpan(..^missingBytes)), 1, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Fact]
    public void Decoding_refuses_bytes_after_the_end_of_the_zlib_stream()
    {
        byte[] compressed = [.. Zlib.Compress([0xB9, 0xA3]), 0x00];

        Assert.False(TokenStatusList.TryDecode(Base64UrlStrict.Encode(compressed), 1, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Fact]
    public void Decoding_refuses_an_empty_list()
    {
        Assert.False(TokenStatusList.TryDecode(Base64UrlStrict.Encode(Zlib.Compress([])), 1, Limit, out _, out var error));

        Assert.Equal(ErrorCodes.InvalidStatusList, error!.Code);
    }

    [Fact]
    public void Decoding_accepts_a_list_of_exactly_the_limit_and_refuses_one_byte_more()
    {
        var lst = Base64UrlStrict.Encode(Zlib.Compress(new byte[100_000]));

        Assert.True(TokenStatusList.TryDecode(lst, 8, 100_000, out var list, out _));
        Assert.Equal(100_000, list.Size);
        Assert.False(TokenStatusList.TryDecode(lst, 8, 99_999, out _, out var error));
        Assert.Equal(ErrorCodes.StatusListTooLarge, error!.Code);
    }

    [Fact]
    public void Decoding_stops_a_zlib_bomb_at_the_limit_without_inflating_the_rest()
    {
        // 256 MiB of zeros compresses to about 256 KB; it must be refused having produced no more than the 16 MiB limit.
        const long bombSize = 256L * 1024 * 1024;
        var bomb = Zlib.Bomb(bombSize);
        Assert.True(bomb.Length < 512 * 1024);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = TokenStatusList.TryDecode(bomb, 1, Limit, out _, out var error);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(decoded);
        Assert.Equal(ErrorCodes.StatusListTooLarge, error!.Code);
        Assert.True(allocated < Limit + 4 * 1024 * 1024, $"Decoding allocated {allocated} bytes; the limit is {Limit}.");
    }

    private static byte[] Statuses(TokenStatusList list) => [.. Enumerable.Range(0, list.Size).Select(i => list[i])];

    private static void AssertMatches(StatusListVector vector, TokenStatusList list)
    {
        for (var i = 0; i < list.Size; i++)
        {
            var expected = vector.Statuses.TryGetValue(i, out var s) ? s : StatusType.Valid;
            if (list[i] != expected)
                Assert.Fail($"Index {i}: expected status {expected}, decoded {list[i]}.");
        }
    }
}
