using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using static Passport.Benchmarks.BenchmarkRun;

namespace Passport.Benchmarks;

/// <summary>
/// Where a returning holder's verification spends its CPU, step by step, each step as <see cref="SdJwtVcVerifier"/> runs it,
/// with the raw verify measured in the same run: <c>dotnet run -c Release --project tests/Benchmarks -- verify-steps</c>.
/// Each step runs alone in a loop over the side-by-side presentation (one training credential, 8 disclosures, a KB-JWT);
/// the figures are the median of the turns, CPU µs per call (this process).
/// </summary>
internal static class VerifyStepsRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = IntOption(args, "--iterations", 20_000);
        var turns = IntOption(args, "--turns", 5);
        var fixture = new Fixture();
        var issued = await SdJwtVcIssuer.IssueAsync(fixture.Request() with { Status = null }, fixture.IssuerKey, fixture.IssuerKey.Reference, CancellationToken.None);
        if (!HeldCredential.TryParse(issued.Serialized, out var held, out var error))
            throw new InvalidOperationException(error?.ToString());
        var presentation = await held.PresentAsync(held.Disclosures, fixture.Binding(), fixture.HolderKey, fixture.HolderKey.Reference, CancellationToken.None);
        var keys = new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet> { [Fixture.IssuerId] = new([fixture.IssuerKey.PublicJwk]) });
        var policy = Fixture.Policy();
        var noKeys = new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet>());
        var cache = new HolderKeyCache(10_000);
        var issuerKey = fixture.IssuerKey.PublicJwk;

        if (!SdJwtParts.TryParse(presentation, SdJwtLimits.Default, out var parts, out error)
            || !CompactJws.TryReadInPlace(parts.Text, parts.IssuerJwtLength, flatPayload: false, out var jwt)
            || !CompactJws.TryReadInPlace(parts.KeyBindingJwt!, parts.KeyBindingJwt!.Length, flatPayload: true, out var kb))
            throw new InvalidOperationException($"The presentation does not take the verifier's path: {error}");
        var cnf = jwt.Payload["cnf"]!["jwk"]!;
        if (!cache.TryGetOrParse(cnf, out var holderKey, out _))
            throw new InvalidOperationException("The holder key does not parse.");
        var byDigest = Disclosures(parts);

        var issuerJwt = presentation[..presentation.IndexOf('~', StringComparison.Ordinal)];
        var rawInput = Encoding.ASCII.GetBytes(issuerJwt[..issuerJwt.LastIndexOf('.')]);
        var kbInput = Encoding.ASCII.GetBytes(kb.SigningInput.ToString());
        using var rawKey = Import(issuerKey);
        using var rawHolderKey = Import(holderKey);

        // As the side-by-side run measures it: 200 holders, each with its own key and presentation, taken in turn.
        var holders = IntOption(args, "--holders", 200);
        var many = new List<string>(holders);
        var manyKeys = new List<(ECDsa Key, ECParameters Parameters, byte[] Input, byte[] Signature)>(holders);
        for (var i = 0; i < holders; i++)
        {
            var holder = EcdsaJwsSigner.Generate($"holder-{i}");
            var credential = await SdJwtVcIssuer.IssueAsync(fixture.Request() with { HolderKey = holder.PublicJwk, Status = null }, fixture.IssuerKey, fixture.IssuerKey.Reference, CancellationToken.None);
            Check(HeldCredential.TryParse(credential.Serialized, out var h, out _));
            var p = await h.PresentAsync(h.Disclosures, fixture.Binding(), holder, holder.Reference, CancellationToken.None);
            many.Add(p);
            Check(SdJwtParts.TryParse(p, SdJwtLimits.Default, out var pp, out _));
            Check(CompactJws.TryReadInPlace(pp.KeyBindingJwt!, pp.KeyBindingJwt!.Length, true, out var k));
            manyKeys.Add((Import(holder.PublicJwk), Parameters(holder.PublicJwk), Encoding.ASCII.GetBytes(k.SigningInput.ToString()), k.Signature));
        }
        var next = 0;
        var nextKey = 0;

        var steps = new List<(string Name, int Weight, Action Run)>
        {
            ("whole verification, returning holder, 200 holders in turn", 0, () => Check(new SdJwtVcVerifier(keys, fixture.Time, holderKeys: cache).VerifyAsync(many[next++ % many.Count], policy, default).AsTask().GetAwaiter().GetResult().IsValid)),
            ("first-seen: whole verification, no holder key kept, 200 holders in turn", 0, () => Check(new SdJwtVcVerifier(keys, fixture.Time, holderKeys: new HolderKeyCache(0)).VerifyAsync(many[next++ % many.Count], policy, default).AsTask().GetAwaiter().GetResult().IsValid)),
            ("first-seen: raw import and verify of each holder's KB-JWT input, 200 holder keys in turn", 0, () => { var (_, parameters, input, signature) = manyKeys[nextKey++ % manyKeys.Count]; using var imported = ECDsa.Create(parameters); Check(imported.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)); }),
            ("the verifier's steps in sequence, 200 holders in turn", 0, () => Composed(many[next++ % many.Count], issuerKey, cache, signatures: true)),
            ("the same without the two signatures", 0, () => Composed(many[next++ % many.Count], issuerKey, cache, signatures: false)),
            ("raw verify of each holder's KB-JWT input, 200 holder keys in turn", 0, () => { var (k, _, input, signature) = manyKeys[nextKey++ % manyKeys.Count]; Check(k.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)); }),
            ("raw verify (VerifyData, issuer JWT's input, P1363)", 0, () => Check(rawKey.VerifyData(rawInput, jwt.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))),
            ("raw verify of the KB-JWT's input", 0, () => Check(rawHolderKey.VerifyData(kbInput, kb.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))),
            ("whole verification, returning holder (new verifier, shared cache)", 0, () => Check(new SdJwtVcVerifier(keys, fixture.Time, holderKeys: cache).VerifyAsync(presentation, policy, default).AsTask().GetAwaiter().GetResult().IsValid)),
            ("verifier refusing an empty presentation (its fixed cost)", 0, () => Check(!new SdJwtVcVerifier(keys, fixture.Time, holderKeys: cache).VerifyAsync("", policy, default).AsTask().GetAwaiter().GetResult().IsValid)),
            ("verifier up to the issuer key (an untrusted issuer)", 0, () => Check(!new SdJwtVcVerifier(noKeys, fixture.Time, holderKeys: cache).VerifyAsync(presentation, policy, default).AsTask().GetAwaiter().GetResult().IsValid)),
            ("1 split on '~' (SdJwtParts)", 1, () => Check(SdJwtParts.TryParse(presentation, SdJwtLimits.Default, out _, out _))),
            ("2 issuer JWT: base64url + header + payload DOM", 1, () => Check(CompactJws.TryReadInPlace(parts.Text, parts.IssuerJwtLength, false, out _))),
            ("3 issuer signature (ASCII copy, SHA-256, VerifyHash)", 1, () => Check(jwt.VerifyWith(issuerKey))),
            ("4 8 disclosures: decode, read, SHA-256, dictionary", 1, () => Disclosures(parts)),
            ("  of which 8 digests alone", 0, () => { foreach (var (start, length) in parts.DisclosureRanges) Disclosure.ComputeDigest(parts.Text.AsSpan(start, length)); }),
            ("5 registered claims + walk (with a fresh payload read)", 1, () => Walk(parts, byDigest)),
            ("  the fresh payload read alone (subtract)", -1, () => Check(CompactJws.TryReadInPlace(parts.Text, parts.IssuerJwtLength, false, out _))),
            ("6 cnf: holder key from the cache", 1, () => Check(cache.TryGetOrParse(cnf, out _, out _))),
            ("7 KB-JWT: base64url + flat header + payload", 1, () => Check(CompactJws.TryReadInPlace(parts.KeyBindingJwt!, parts.KeyBindingJwt!.Length, true, out _))),
            ("8 KB-JWT signature (cached key)", 1, () => Check(kb.VerifyWith(holderKey))),
            ("9 KB-JWT checks: typ, iat, aud, nonce, sd_hash", 1, () => KeyBindingChecks(kb, parts)),
        };

        // For a profiler: only the steps whose name starts with this.
        var only = Array.IndexOf(args, "--only") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        if (only is not null)
            steps.RemoveAll(s => !s.Name.StartsWith(only, StringComparison.Ordinal));
        Report("Machine", Machine());
        Report("Load average", $"{LoadAverage()} (before)");
        // Warm-up: every step until the JIT is quiet (tiered compilation would otherwise recompile inside the turns).
        var warmUp = Stopwatch.StartNew();
        for (var quiet = 0; (quiet < 2 || warmUp.Elapsed < TimeSpan.FromSeconds(3)) && warmUp.Elapsed < TimeSpan.FromMinutes(1); )
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            foreach (var step in steps)
                Repeat(step.Run, 300);
            quiet = System.Runtime.JitInfo.GetCompiledMethodCount() == compiled ? quiet + 1 : 0;
        }
        var costs = steps.ToDictionary(s => s.Name, _ => new List<double>());
        for (var turn = 0; turn < turns; turn++)
        {
            foreach (var step in steps)
                costs[step.Name].Add(Measure(step.Run, iterations));
        }
        Report("Load average", $"{LoadAverage()} (after)");
        Console.WriteLine();
        Console.WriteLine("| Step (returning holder) | CPU µs per call (median) | turns |");
        Console.WriteLine("|---|--:|---|");
        double Median(string name) => costs[name].Order().ElementAt(costs[name].Count / 2);
        foreach (var step in steps)
            Console.WriteLine(Invariant($"| {step.Name} | {Median(step.Name):F2} | {string.Join(", ", costs[step.Name].Select(c => c.ToString("F1", CultureInfo.InvariantCulture)))} |"));
        if (only is not null)
            return 0;
        var sum = steps.Sum(s => s.Weight * Median(s.Name));
        double Named(string prefix) => Median(steps.First(s => s.Name.StartsWith(prefix, StringComparison.Ordinal)).Name);
        var whole = Named("whole verification, returning holder, 200");
        var raw = Named("raw verify (");
        var firstSeen = Named("first-seen: whole");
        var import = Named("first-seen: raw import");
        Console.WriteLine();
        var single = Named("whole verification, returning holder (new");
        Console.WriteLine(Invariant($"Sum of the steps 1 to 9: {sum:F1} µs; the whole verification of the same presentation {single:F1} µs (the rest, {single - sum:F1} µs: the verifier's own state, checks and result, and the steps' effect on each other's caches)"));
        Console.WriteLine(Invariant($"Returning, beyond the two signatures: whole − 2 × raw = {whole - 2 * raw:F1} µs; ratio {whole / (2 * raw):F3} (target ≤ 1.10)"));
        Console.WriteLine(Invariant($"First-seen: {firstSeen:F1} / ({import:F1} + {raw:F1}) = {firstSeen / (import + raw):F3} (target ≤ 1.15)"));
        return 0;
    }

    private static ECDsa Import(EcPublicJwk key) => ECDsa.Create(Parameters(key));

    private static ECParameters Parameters(EcPublicJwk key) => new()
    {
        Curve = ECCurve.NamedCurves.nistP256,
        Q = new ECPoint { X = Base64UrlStrict.TryDecode(key.X, out var x) ? x : [], Y = Base64UrlStrict.TryDecode(key.Y, out var y) ? y : [] },
    };

    private static Dictionary<string, Disclosure> Disclosures(SdJwtParts parts)
    {
        var byDigest = new Dictionary<string, Disclosure>(StringComparer.Ordinal);
        foreach (var (start, length) in parts.DisclosureRanges)
        {
            Check(Disclosure.TryParse(parts.Text, start, length, out var d, out _));
            byDigest.Add(d.Digest, d);
        }
        return byDigest;
    }

    private static void Walk(SdJwtParts parts, Dictionary<string, Disclosure> byDigest)
    {
        Check(CompactJws.TryReadInPlace(parts.Text, parts.IssuerJwtLength, false, out var jwt));
        _ = RegisteredClaims.Of(jwt.Payload);
        var walker = new DisclosureWalker(byDigest, recordPaths: false);
        Check(walker.ProcessInPlace(jwt.Payload) is not null && walker.UsedCount == byDigest.Count);
    }

    // What VerifyAsync does for a valid presentation, call for call, without its state, its list of checks or its result.
    private static void Composed(string presentation, EcPublicJwk issuerKey, HolderKeyCache cache, bool signatures)
    {
        Check(SdJwtParts.TryParse(presentation, SdJwtLimits.Default, out var parts, out _));
        Check(CompactJws.TryReadInPlace(parts.Text, parts.IssuerJwtLength, false, out var jwt));
        Check(jwt.Algorithm == "ES256" && jwt.Type is not null && !jwt.HeaderContains("jwk") && jwt.KeyId is not null && jwt.Payload.GetString("iss") is not null);
        Check(!signatures || jwt.VerifyWith(issuerKey));
        var byDigest = Disclosures(parts);
        var registered = RegisteredClaims.Of(jwt.Payload);
        var walker = new DisclosureWalker(byDigest, recordPaths: false);
        Check(walker.ProcessInPlace(jwt.Payload) is not null && walker.UsedCount == byDigest.Count);
        Check(registered.Exp.TryGetNumericDate(out _) && registered.Iat.TryGetNumericDate(out _) && registered.Vct.String is not null);
        Check(cache.TryGetOrParse(((System.Text.Json.Nodes.JsonObject)registered.Cnf.Value!)["jwk"], out var holderKey, out _));
        Check(CompactJws.TryReadInPlace(parts.KeyBindingJwt!, parts.KeyBindingJwt!.Length, true, out var kb));
        Check(kb.Algorithm == "ES256" && !kb.HeaderContains("jwk"));
        Check(!signatures || kb.VerifyWith(holderKey));
        KeyBindingChecks(kb, parts);
    }

    private static void KeyBindingChecks(CompactJws kb, SdJwtParts parts)
    {
        Check(string.Equals(kb.Type, "kb+jwt", StringComparison.OrdinalIgnoreCase));
        Check(kb.TryGetPayloadNumericDate("iat", out _, out _));
        Check(kb.PayloadStringEquals("aud", Fixture.Audience, fixedTime: false) == true && kb.PayloadStringEquals("nonce", Fixture.Nonce, fixedTime: true) == true);
        Span<char> expected = stackalloc char[43];
        Check(kb.PayloadStringEquals("sd_hash", expected[..Disclosure.ComputeDigest(parts.WithoutKeyBindingSpan, expected)], fixedTime: true) == true);
    }

    private static void Check(bool ok)
    {
        if (!ok)
            throw new InvalidOperationException("A step of the breakdown did not succeed.");
    }

    private static void Repeat(Action run, int count)
    {
        for (var i = 0; i < count; i++)
            run();
    }

    private static double Measure(Action run, int iterations)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        Repeat(run, iterations);
        self.Refresh();
        return (self.TotalProcessorTime - cpu).TotalMicroseconds / iterations;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
