using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Passport.Load;

/// <summary>One ES256 verification cost, on one thread, in wall time and in this process's CPU time.</summary>
internal sealed record RawVerifyCost(int Iterations, int InputBytes, double WallMicroseconds, double CpuMicroseconds)
{
    public double VerifiesPerCoreSecond => 1e6 / CpuMicroseconds;
}

/// <summary>
/// The baseline: .NET's <c>ECDsa.VerifyData</c> (P-256, SHA-256, IEEE P1363), as the credential core calls it, over an
/// issuer JWT's signing input of this run, single-threaded. CPU time is what the ratio uses, so that time the thread
/// spends descheduled on a busy machine is not counted as verification cost.
/// </summary>
internal static class RawVerify
{
    public static RawVerifyCost Measure(string issuerJwt, int iterations)
    {
        var input = Encoding.ASCII.GetBytes(issuerJwt[..issuerJwt.LastIndexOf('.')]);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var verifier = ECDsa.Create(key.ExportParameters(includePrivateParameters: false));
        var signature = key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        for (var i = 0; i < Math.Min(iterations / 10, 2_000); i++)
            Verify(verifier, input, signature);

        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
            Verify(verifier, input, signature);
        var wall = Stopwatch.GetElapsedTime(start);
        self.Refresh();
        var used = self.TotalProcessorTime - cpu;
        return new RawVerifyCost(iterations, input.Length, wall.TotalMicroseconds / iterations, used.TotalMicroseconds / iterations);
    }

    private static void Verify(ECDsa verifier, byte[] input, byte[] signature)
    {
        if (!verifier.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            throw new InvalidOperationException("The raw ES256 baseline does not verify its own signature.");
    }
}
