using System.Diagnostics;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Load;

/// <summary>
/// The credential core's share of a verification, measured on one thread in this process: the three presentations of a
/// request through <see cref="SdJwtVcVerifier"/> with key binding, one verifier per request sharing one holder-key cache, as
/// the Verifier makes them (so a holder's key is imported once a run). No HTTP, authentication, database, status list or bus.
/// </summary>
internal static class CoreVerify
{
    public static async Task<double> MeasureCpuMicrosecondsAsync(Scenario scenario, StubIssuer issuer, int requests)
    {
        var sets = new (string Nonce, string[] Presentations)[requests];
        for (var i = 0; i < sets.Length; i++)
            sets[i] = await scenario.NextPresentationsAsync();
        var keys = new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet>(StringComparer.Ordinal) { [issuer.IssuerId] = new([issuer.Signer.PublicJwk]) });
        var holderKeys = new HolderKeyCache(new SdJwtVcVerifierOptions().HolderKeyCacheSize);
        foreach (var set in sets)
            await VerifyAsync(set, scenario.Audience, keys, holderKeys);

        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        foreach (var set in sets)
            await VerifyAsync(set, scenario.Audience, keys, holderKeys);
        self.Refresh();
        return (self.TotalProcessorTime - cpu).TotalMicroseconds / requests;
    }

    private static async Task VerifyAsync((string Nonce, string[] Presentations) set, string audience, IIssuerKeyResolver keys, HolderKeyCache holderKeys)
    {
        var verifier = new SdJwtVcVerifier(keys, TimeProvider.System, holderKeys: holderKeys);
        var policy = PresentationPolicy.KeyBound(audience, set.Nonce);
        foreach (var presentation in set.Presentations)
        {
            var result = await verifier.VerifyAsync(presentation, policy, CancellationToken.None);
            if (!result.IsValid)
                throw new InvalidOperationException($"A presentation of the run does not verify in the credential core: {result.Error}");
        }
    }
}
