using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.Jose;
using Passport.Testing.Fuzz;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Tests.Decisions;

namespace Passport.Verifier.Tests.Fuzz;

/// <summary>
/// Mutated presentations and bodies through <c>POST /api/verify</c> of the real service on PostgreSQL: never a 5xx, never a
/// decision from a presentation that was changed, never a decision stored by a refused request.
/// <c>PASSPORT_FUZZ_INPUTS</c> sets the inputs per test (the long run, <c>bash tests/fuzz/run.sh</c>).
/// </summary>
public sealed class PresentationFuzzTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly Uri Verify = new("/api/verify", UriKind.Relative);

    private sealed class Scene
    {
        public required string Own { get; init; }
        public required Guid AgreementId { get; init; }
        public required EcdsaJwsSigner Holder { get; init; }
        public required List<TestCredential> Credentials { get; init; }
        public string Nonce { get; set; } = "";
        public List<string> Presentations { get; set; } = [];

        public string Audience => new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{Own}").ToString();

        // Fresh KB-JWTs (their iat ages) over a fresh nonce.
        public async Task RefreshAsync()
        {
            Nonce = Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            Presentations = [.. await Task.WhenAll(Credentials.Select(c => c.PresentAsync(Holder, Audience, Nonce)))];
        }

        public byte[] Body(List<byte[]> presentations)
        {
            var body = new List<byte>();
            body.AddRange("{\"presentations\":["u8.ToArray());
            for (var i = 0; i < presentations.Count; i++)
            {
                if (i > 0)
                    body.Add((byte)',');
                body.Add((byte)'"');
                // JSON-escape quotes, backslashes and C0 controls; every other byte goes as it is, invalid UTF-8 included.
                foreach (var b in presentations[i])
                {
                    if (b is (byte)'"' or (byte)'\\')
                        body.AddRange([(byte)'\\', b]);
                    else if (b < 0x20)
                        body.AddRange(Encoding.ASCII.GetBytes($"\\u{b:x4}"));
                    else
                        body.Add(b);
                }
                body.Add((byte)'"');
            }
            body.AddRange(Encoding.UTF8.GetBytes(
                $"],\"nonce\":\"{Nonce}\",\"audience\":\"{Audience}\",\"agreementId\":\"{AgreementId}\",\"role\":\"{SampleAgreement.Role}\","
                + $"\"start\":\"{SampleClaims.Day(Today.AddDays(7))}\",\"end\":\"{SampleClaims.Day(Today.AddDays(20))}\"}}"));
            return [.. body];
        }
    }

    private async Task<Scene> ArrangeAsync()
    {
        var home = bed.NewIssuer();
        var own = Ods.New();
        var holder = EcdsaJwsSigner.Generate("holder");
        var credentials = new List<TestCredential>();
        foreach (var (_, type, claims) in SampleClaims.All(Today))
            credentials.Add(await home.IssueAsync(type, claims, holder));
        var scene = new Scene { Own = own, AgreementId = await bed.CreateAgreementAsync(own, home.Ods), Holder = holder, Credentials = credentials };
        await scene.RefreshAsync();
        return scene;
    }

    /// <summary>The status, and for a decision whether it accepted: a changed credential may be recorded as untrusted or expired, never relied on.</summary>
    private static async Task<(HttpStatusCode Status, bool Accepted)> SendAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(Verify, content);
        if (response.StatusCode != HttpStatusCode.Created)
            return (response.StatusCode, false);
        var decision = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (response.StatusCode, (string?)decision["decision"] == "accepted");
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, byte[] body) => (await SendAsync(client, body)).Status;

    private Task<int> DecisionsAsync(string ods) => bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.OdsCode == ods));

    [Fact]
    public async Task Mutated_presentations_are_refused_without_a_server_error_and_store_no_decision()
    {
        var scene = await ArrangeAsync();
        using var client = bed.App.ClientFor(scene.Own, "verifier");
        var mutator = new Mutator(FuzzCounts.Seed);
        var counts = new FuzzCounts("presentations (POST /api/verify)");
        var budget = FuzzCounts.Budget(1500);
        var accepted = 0;
        while (counts.Inputs < budget)
        {
            if (counts.Inputs % 400 == 0)
                await scene.RefreshAsync();
            var originals = scene.Presentations.Select(Encoding.UTF8.GetBytes).ToList();
            var target = mutator.Next(originals.Count);
            var mutated = mutator.Mutate(originals[target], '~', '.');
            if (mutated.AsSpan().SequenceEqual(originals[target]))
                continue;
            var presentations = originals.ToList();
            presentations[target] = mutated;
            var (code, decided) = await SendAsync(client, scene.Body(presentations));
            var status = (int)code;
            if (status == 201)
            {
                accepted++;
                await scene.RefreshAsync();
            }
            counts.Record(status, acceptedChanged: decided, storedByRefusal: false,
                $"{mutator.Last} of presentation {target}: {Difference(originals[target], mutated)}");
        }
        var stored = await DecisionsAsync(scene.Own);
        if (stored != accepted)
            counts.Record(0, false, storedByRefusal: true, $"{stored} decisions stored, {accepted} requests accepted");

        // The harness itself: the unchanged presentations are still decided.
        Assert.Equal(HttpStatusCode.Created, await PostAsync(client, scene.Body(scene.Presentations.Select(Encoding.UTF8.GetBytes).ToList())));
        Assert.True(counts.IsClean, counts.Report());
    }

    [Fact]
    public async Task Mutated_verify_bodies_never_cause_a_server_error_and_a_refused_one_stores_nothing()
    {
        var scene = await ArrangeAsync();
        using var client = bed.App.ClientFor(scene.Own, "verifier");
        var mutator = new Mutator(FuzzCounts.Seed + 1);
        var counts = new FuzzCounts("verify bodies (POST /api/verify)");
        var budget = FuzzCounts.Budget(500);
        var accepted = 0;
        var original = scene.Body(scene.Presentations.Select(Encoding.UTF8.GetBytes).ToList());
        while (counts.Inputs < budget)
        {
            if (counts.Inputs % 400 == 0)
            {
                await scene.RefreshAsync();
                original = scene.Body(scene.Presentations.Select(Encoding.UTF8.GetBytes).ToList());
            }
            var mutated = mutator.Mutate(original);
            if (mutated.AsSpan().SequenceEqual(original))
                continue;
            var sent = scene.Presentations;
            var (code, decided) = await SendAsync(client, mutated);
            var status = (int)code;
            if (status == 201)
            {
                accepted++;
                // A body whose presentations survived unchanged may be decided (its start or role changed, say): a fresh nonce for the next.
                await scene.RefreshAsync();
                original = scene.Body(scene.Presentations.Select(Encoding.UTF8.GetBytes).ToList());
            }
            counts.Record(status, acceptedChanged: decided && !PresentationsUnchanged(mutated, sent), storedByRefusal: false,
                $"{mutator.Last}: {Encoding.UTF8.GetString(mutated[..Math.Min(mutated.Length, 200)])}");
        }
        var stored = await DecisionsAsync(scene.Own);
        if (stored != accepted)
            counts.Record(0, false, storedByRefusal: true, $"{stored} decisions stored, {accepted} requests accepted");
        Assert.True(counts.IsClean, counts.Report());
    }

    private sealed record WalletRequest(Guid Id, string ClientId, string Nonce, string State, Uri ResponseUri, byte[] VpToken);

    // A new presentation request, read as a wallet reads it, and the vp_token that answers it.
    private async Task<WalletRequest> NewRequestAsync(Scene scene)
    {
        using var client = bed.App.ClientFor(scene.Own, "verifier");
        using var created = await client.PostAsync(new Uri("/api/presentation-requests", UriKind.Relative), new StringContent(
            $"{{\"agreementId\":\"{scene.AgreementId}\",\"role\":\"{SampleAgreement.Role}\",\"start\":\"{SampleClaims.Day(Today.AddDays(7))}\",\"end\":\"{SampleClaims.Day(Today.AddDays(20))}\"}}",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var requestUri = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["requestUri"]!;
        using var wallet = bed.App.Anonymous();
        Assert.True(CompactJws.TryParse(await wallet.GetStringAsync(new Uri(requestUri)), out var jws, out _));
        var p = jws.Payload;
        var (clientId, nonce) = ((string)p["client_id"]!, (string)p["nonce"]!);
        var token = new JsonObject();
        var ids = p["dcql_query"]!["credentials"]!.AsArray().Select(q => (string)q!["id"]!).ToList();
        var all = SampleClaims.All(Today).Select(c => c.Item1).ToList();
        // Queries the sample holder has nothing for (the optional person_name) are left unanswered, as a wallet may.
        foreach (var id in ids.Where(all.Contains))
            token[id] = new JsonArray(await scene.Credentials[all.IndexOf(id)].PresentAsync(scene.Holder, clientId, nonce));
        return new WalletRequest(Guid.Parse(requestUri[(requestUri.LastIndexOf('/') + 1)..]), clientId, nonce, (string)p["state"]!,
            new Uri((string)p["response_uri"]!), Encoding.UTF8.GetBytes(token.ToJsonString()));
    }

    // The same presentation for each query id: members reordered (a shuffle at a comma) are the same answer.
    private static bool SameAnswers(byte[] original, byte[] mutated)
    {
        static Dictionary<string, string>? Read(byte[] json) =>
            StrictJson.TryParseObject(json, out var o, out _)
                ? o.ToDictionary(m => m.Key, m => m.Value is JsonArray { Count: 1 } a && a[0] is JsonValue v && v.TryGetValue<string>(out var p) ? p : "?")
                : null;
        return Read(original) is { } a && Read(mutated) is { } b && a.Count == b.Count && a.All(m => b.TryGetValue(m.Key, out var p) && p == m.Value);
    }

    private static byte[] Form(byte[] vpToken, string state)
    {
        var form = new StringBuilder("vp_token=");
        foreach (var b in vpToken)
            form.Append(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~' ? ((char)b).ToString() : $"%{b:X2}");
        form.Append("&state=").Append(Uri.EscapeDataString(state));
        return Encoding.ASCII.GetBytes(form.ToString());
    }

    [Fact]
    public async Task Mutated_wallet_responses_are_refused_without_a_server_error_and_store_no_decision()
    {
        var scene = await ArrangeAsync();
        using var wallet = bed.App.Anonymous();
        var mutator = new Mutator(FuzzCounts.Seed + 2);
        var counts = new FuzzCounts("wallet responses (POST /verifiers/{ods}/responses)");
        var budget = FuzzCounts.Budget(400);
        var answered = 0;
        var request = await NewRequestAsync(scene);
        while (counts.Inputs < budget)
        {
            if (counts.Inputs % 400 == 0)
                request = await NewRequestAsync(scene);
            var mutated = mutator.Mutate(request.VpToken, '~', '.', ',');
            if (mutated.AsSpan().SequenceEqual(request.VpToken))
                continue;
            var sent = request.VpToken;
            using var content = new ByteArrayContent(Form(mutated, request.State));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            using var response = await wallet.PostAsync(request.ResponseUri, content);
            var status = (int)response.StatusCode;
            var accepted = false;
            if (status == 200)
            {
                answered++;
                using var client = bed.App.ClientFor(scene.Own, "verifier");
                var decision = JsonNode.Parse(await client.GetStringAsync(new Uri($"/api/presentation-requests/{request.Id}/decision", UriKind.Relative)))!;
                accepted = (string?)decision["decision"] == "accepted";
                request = await NewRequestAsync(scene);
            }
            counts.Record(status, acceptedChanged: accepted && !SameAnswers(sent, mutated), storedByRefusal: false,
                $"{mutator.Last}: {Encoding.UTF8.GetString(mutated[..Math.Min(mutated.Length, 200)])}");
        }
        var stored = await DecisionsAsync(scene.Own);
        if (stored != answered)
            counts.Record(0, false, storedByRefusal: true, $"{stored} decisions stored, {answered} responses answered");

        using var good = new ByteArrayContent(Form(request.VpToken, request.State));
        good.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, (await wallet.PostAsync(request.ResponseUri, good)).StatusCode);
        Assert.True(counts.IsClean, counts.Report());
    }

    private static string Difference(byte[] original, byte[] mutated)
    {
        var at = 0;
        while (at < original.Length && at < mutated.Length && original[at] == mutated[at])
            at++;
        string Around(byte[] b) => Encoding.UTF8.GetString(b.AsSpan(Math.Max(0, at - 20), Math.Min(b.Length, at + 20) - Math.Max(0, at - 20)));
        return $"at byte {at} of {original.Length} (dots/tildes before it: {original.AsSpan(0, Math.Min(at, original.Length)).Count((byte)'.')}/"
            + $"{original.AsSpan(0, Math.Min(at, original.Length)).Count((byte)'~')}): '{Around(original)}' became '{Around(mutated)}'";
    }

    // Whether the body's presentations (read strictly, as the service reads them) are exactly those that were signed.
    private static bool PresentationsUnchanged(byte[] body, List<string> sent) =>
        StrictJson.TryParseObject(body, out var json, out _) && json["presentations"] is JsonArray array
        && array.Select(p => p is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).SequenceEqual(sent);
}
