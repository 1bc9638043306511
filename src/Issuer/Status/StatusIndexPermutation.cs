using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Passport.Issuer.Status;

/// <summary>
/// A keyed pseudo-random permutation of [0, size): the list's n-th credential takes index <c>this[n]</c>. Distinct positions
/// give distinct indexes, so allocating is a counter with no query, and without the key the order of indexes reveals
/// nothing about the order of issuance (draft-ietf-oauth-status-list §12.5). A balanced Feistel network over the smallest
/// even number of bits that holds <c>size</c>, with HMAC-SHA256 as its round function, walked until it lands inside the
/// list (cycle-walking: at most a quarter of the domain lies outside, so a few steps on average).
/// </summary>
internal sealed class StatusIndexPermutation : IDisposable
{
    public const int KeyLength = 32;
    private const int Rounds = 6;
    private readonly IncrementalHash _hmac;
    private readonly int _size;
    private readonly int _halfBits;
    private readonly uint _halfMask;

    public StatusIndexPermutation(byte[] key, int size)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        if (key.Length != KeyLength)
            throw new ArgumentException($"A status list's permutation key is {KeyLength} bytes.", nameof(key));
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        _size = size;
        var bits = 32 - int.LeadingZeroCount(size - 1);
        _halfBits = (bits + 1) / 2;
        _halfMask = (1u << _halfBits) - 1;
    }

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyLength);

    public int this[int position]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(position);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, _size);
            // Cycle-walking: a permutation of the larger domain, applied until the value falls inside [0, size), is a permutation of it.
            var value = (uint)position;
            do
                value = Encrypt(value);
            while (value >= (uint)_size);
            return (int)value;
        }
    }

    private uint Encrypt(uint value)
    {
        var left = value >> _halfBits;
        var right = value & _halfMask;
        Span<byte> input = stackalloc byte[5];
        Span<byte> mac = stackalloc byte[32];
        for (var round = 0; round < Rounds; round++)
        {
            input[0] = (byte)round;
            BinaryPrimitives.WriteUInt32BigEndian(input[1..], right);
            _hmac.AppendData(input);
            _hmac.GetHashAndReset(mac);
            (left, right) = (right, (left ^ BinaryPrimitives.ReadUInt32BigEndian(mac)) & _halfMask);
        }
        return (left << _halfBits) | right;
    }

    public void Dispose() => _hmac.Dispose();
}
