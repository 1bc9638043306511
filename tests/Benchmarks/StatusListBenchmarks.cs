using BenchmarkDotNet.Attributes;
using Passport.Credentials;
using Passport.Credentials.StatusList;

namespace Passport.Benchmarks;

/// <summary>A 1,048,576-entry list of 2-bit statuses (256 KiB): one lookup, and decoding the encoded <c>lst</c> once.</summary>
[MemoryDiagnoser]
public class StatusListBenchmarks
{
    private const int Size = 1 << 20;
    private const int Bits = 2;

    private StatusList _list = null!;
    private string _encoded = "";
    private long _index;

    [GlobalSetup]
    public void Setup()
    {
        _list = new StatusList(Size, Bits);
        // About 1% revoked and 0.5% suspended, spread at fixed strides so the list compresses like a real one, not like zeros.
        for (var i = 0; i < Size; i += 97)
            _list[i] = StatusType.Invalid;
        for (var i = 13; i < Size; i += 211)
            _list[i] = StatusType.Suspended;
        _encoded = _list.Encode();
        _index = 777_777;
        if (!StatusList.TryDecode(_encoded, Bits, 16 * 1024 * 1024, out var decoded, out var error) || decoded.Size != Size)
            throw new InvalidOperationException($"The encoded status list does not decode: {error}");
    }

    [Benchmark]
    public byte Lookup() => _list.TryGet(_index, out var status, out _) ? status : byte.MaxValue;

    [Benchmark]
    public StatusList Decode()
    {
        if (!StatusList.TryDecode(_encoded, Bits, 16 * 1024 * 1024, out var list, out CredentialError? error))
            throw new InvalidOperationException(error?.ToString());
        return list;
    }
}
