using System.Security.Cryptography;

namespace Passport.Credentials.Jose;

/// <summary>
/// SHA-256 with one hash context per thread, reset after each use. A verification hashes eleven short inputs (each
/// disclosure, <c>sd_hash</c>, the two signing inputs); the one-shot API creates and frees an OpenSSL digest context for each.
/// </summary>
internal static class Sha256
{
    [ThreadStatic]
    private static IncrementalHash? t_hash;

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var hash = t_hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            hash.AppendData(data);
            hash.GetHashAndReset(destination);
        }
        catch
        {
            // A context left half-used must not hash the next input: drop it.
            t_hash = null;
            hash.Dispose();
            throw;
        }
    }
}
