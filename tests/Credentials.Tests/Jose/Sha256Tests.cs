using System.Security.Cryptography;
using Passport.Credentials.Jose;

namespace Passport.Credentials.Tests.Jose;

/// <summary>The per-thread hash context gives the one-shot SHA-256 of every input, one after another and on many threads at once.</summary>
public sealed class Sha256Tests
{
    [Fact]
    public void Each_hash_is_the_one_shot_sha256_of_its_input_whatever_came_before()
    {
        var random = new Random(14);
        Span<byte> hash = stackalloc byte[32];
        for (var length = 0; length < 300; length++)
        {
            var data = new byte[length * 7 % 2100];
            random.NextBytes(data);
            Sha256.Hash(data, hash);
            Assert.Equal(SHA256.HashData(data), hash.ToArray());
        }
    }

    [Fact]
    public void Hashes_on_many_threads_at_once_do_not_mix()
    {
        var inputs = Enumerable.Range(0, 64).Select(i => RandomNumberGenerator.GetBytes(50 + i)).ToArray();
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var data = inputs[i % inputs.Length];
            var hash = new byte[32];
            Sha256.Hash(data, hash);
            Assert.Equal(SHA256.HashData(data), hash);
        });
    }
}
