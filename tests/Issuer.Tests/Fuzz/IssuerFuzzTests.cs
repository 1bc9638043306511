using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Tests.Offers;
using Passport.ServiceDefaults;
using Passport.Testing.Fuzz;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Fuzz;

/// <summary>
/// Mutated key proofs, access tokens, JSON bodies and CSV files through the Issuer's real endpoints on PostgreSQL: never a
/// 5xx, nothing accepted that was changed, nothing stored by a refused request. <c>PASSPORT_FUZZ_INPUTS</c> sets the inputs
/// per test (the long run, <c>bash tests/fuzz/run.sh</c>).
/// </summary>
public sealed class IssuerFuzzTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static ByteArrayContent Content(byte[] body, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    // JSON-escapes quotes, backslashes and C0 controls; every other byte is sent as it is, invalid UTF-8 included.
    private static byte[] JsonString(byte[] raw)
    {
        var s = new List<byte> { (byte)'"' };
        foreach (var b in raw)
        {
            if (b is (byte)'"' or (byte)'\\')
                s.AddRange([(byte)'\\', b]);
            else if (b < 0x20)
                s.AddRange(Encoding.ASCII.GetBytes($"\\u{b:x4}"));
            else
                s.Add(b);
        }
        s.Add((byte)'"');
        return [.. s];
    }

    private static byte[] CredentialRequest(byte[] proof) =>
        [.. "{\"credential_configuration_id\":\"training\",\"proofs\":{\"jwt\":["u8.ToArray(), .. JsonString(proof), .. "]}}"u8.ToArray()];

    private static string Excerpt(byte[] b) => Encoding.UTF8.GetString(b[..Math.Min(b.Length, 160)]);

    private async Task<(string Issuer, TestWallet Wallet, string Token, Guid OfferId)> RedeemedAsync()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var created = await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { });
        var offer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var wallet = new TestWallet(app.Anonymous());
        var resolved = await wallet.ResolveOfferAsync((string)offer["offerUri"]!);
        var issuer = (string)offer["credentialIssuer"]!;
        var token = await wallet.AccessTokenAsync(issuer, TestWallet.PreAuthorizedCode(resolved), (string)offer["txCode"]!);
        return (issuer, wallet, token, (Guid)offer["id"]!);
    }

    private Task<int> DeliveriesAsync(Guid offerId) => app.WithDbAsync(db => db.WalletNotifications.CountAsync(n => n.OfferId == offerId));

    private static async Task<HttpStatusCode> DeliverAsync(HttpClient http, string issuer, string token, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/credential")) { Content = Content(body) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Mutated_key_proofs_are_invalid_proofs_and_deliver_nothing()
    {
        var (issuer, wallet, token, offerId) = await RedeemedAsync();
        using var _ = wallet;
        using var http = app.Anonymous();
        var mutator = new Mutator(FuzzCounts.Seed + 10);
        var counts = new FuzzCounts("key proofs (POST /issuers/{ods}/credential)");
        var budget = FuzzCounts.Budget(800);
        var proof = "";
        while (counts.Inputs < budget)
        {
            if (counts.Inputs % 300 == 0)
                proof = wallet.Proof(issuer, await wallet.NonceAsync(issuer));
            var original = Encoding.ASCII.GetBytes(proof);
            var mutated = mutator.Mutate(original, '.');
            if (mutated.AsSpan().SequenceEqual(original))
                continue;
            var status = (int)await DeliverAsync(http, issuer, token, CredentialRequest(mutated));
            counts.Record(status, acceptedChanged: status == 200, storedByRefusal: false, $"{mutator.Last}: {Excerpt(mutated)}");
            if (status == 200)
                proof = wallet.Proof(issuer, await wallet.NonceAsync(issuer));
        }
        if (await DeliveriesAsync(offerId) is var stored and > 0)
            counts.Record(0, false, storedByRefusal: true, $"{stored} deliveries stored for changed proofs");

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, issuer, token, CredentialRequest(Encoding.ASCII.GetBytes(proof))));
        Assert.True(counts.IsClean, counts.Report());
    }

    [Fact]
    public async Task Mutated_access_tokens_are_refused_and_deliver_nothing()
    {
        var (issuer, wallet, token, offerId) = await RedeemedAsync();
        using var _ = wallet;
        using var http = app.Anonymous();
        var mutator = new Mutator(FuzzCounts.Seed + 20);
        var counts = new FuzzCounts("access tokens (POST /issuers/{ods}/credential)");
        var budget = FuzzCounts.Budget(300);
        var body = CredentialRequest(Encoding.ASCII.GetBytes(wallet.Proof(issuer, await wallet.NonceAsync(issuer))));
        while (counts.Inputs < budget)
        {
            var mutated = mutator.MutateAscii(token, '.', '-', '_');
            if (mutated == token)
                continue;
            var status = (int)await DeliverAsync(http, issuer, mutated, body);
            counts.Record(status, acceptedChanged: status == 200, storedByRefusal: false, $"{mutator.Last}: {mutated}");
        }
        if (await DeliveriesAsync(offerId) is var stored and > 0)
            counts.Record(0, false, storedByRefusal: true, $"{stored} deliveries stored for changed tokens");

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(http, issuer, token, body));
        Assert.True(counts.IsClean, counts.Report());
    }

    [Fact]
    public async Task Mutated_bearer_tokens_of_hr_are_refused()
    {
        var ods = await NewOrganisationAsync(app);
        var jwt = app.Tokens.Mint(ods, [PassportRoles.HrIssuer], null, null);
        using var http = app.Anonymous();
        var mutator = new Mutator(FuzzCounts.Seed + 30);
        var counts = new FuzzCounts("bearer JWTs (GET /api/organisation)");
        var budget = FuzzCounts.Budget(300);
        while (counts.Inputs < budget)
        {
            var mutated = mutator.MutateAscii(jwt, '.');
            if (mutated == jwt)
                continue;
            using var request = new HttpRequestMessage(HttpMethod.Get, Url("/api/organisation"));
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + mutated);
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            counts.Record(status, acceptedChanged: status == 200 && !SameDecodedJwt(jwt, mutated), storedByRefusal: false, $"{mutator.Last}: {mutated}");
        }
        Assert.True(counts.IsClean, counts.Report());
    }

    // Base64url has spare bits in a part's last character: a change there that decodes to the same bytes is the same token.
    private static bool SameDecodedJwt(string a, string b)
    {
        var pa = a.Split('.');
        var pb = b.Split('.');
        return pa.Length == pb.Length && pa.Zip(pb).All(p => Decode(p.First) is { } x && Decode(p.Second) is { } y && x.AsSpan().SequenceEqual(y));

        static byte[]? Decode(string s)
        {
            try
            {
                return Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(s);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    [Fact]
    public async Task Mutated_staff_and_organisation_bodies_never_cause_a_server_error_and_a_refused_one_stores_nothing()
    {
        var ods = await NewOrganisationAsync(app);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var admin = app.ClientFor(ods, PassportRoles.OrganisationAdmin);
        var mutator = new Mutator(FuzzCounts.Seed + 40);
        var counts = new FuzzCounts("JSON bodies (POST /api/staff, PUT /api/organisation)");
        var budget = FuzzCounts.Budget(600);
        var created = 0;
        var name = $"Test Trust {ods}";
        var organisationBody = Encoding.UTF8.GetBytes($"{{\"name\":\"{name}\"}}");
        while (counts.Inputs < budget)
        {
            if (counts.Inputs % 2 == 0)
            {
                var original = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(StaffBody(), Web));
                var mutated = mutator.Mutate(original);
                using var response = await hr.PostAsync(Url("/api/staff"), Content(mutated));
                var status = (int)response.StatusCode;
                if (status == 201)
                    created++;
                counts.Record(status, false, storedByRefusal: false, $"staff {mutator.Last}: {Excerpt(mutated)}");
            }
            else
            {
                var mutated = mutator.Mutate(organisationBody);
                using var response = await admin.PutAsync(Url("/api/organisation"), Content(mutated));
                var status = (int)response.StatusCode;
                var now = await app.WithDbAsync(db => db.Organisations.AsNoTracking().Where(o => o.OdsCode == ods).Select(o => o.Name).SingleAsync());
                counts.Record(status, false, storedByRefusal: status >= 400 && now != name, $"organisation {mutator.Last}: {Excerpt(mutated)}");
                if (status < 400)
                    name = now;
            }
        }
        var stored = await app.WithDbAsync(db => db.Staff.CountAsync(s => s.OdsCode == ods));
        if (stored != created)
            counts.Record(0, false, storedByRefusal: true, $"{stored} staff stored, {created} requests accepted");
        Assert.True(counts.IsClean, counts.Report());
    }

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task Mutated_csv_files_never_cause_a_server_error_and_a_refused_one_starts_no_import()
    {
        var ods = await NewOrganisationAsync(app);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var mutator = new Mutator(FuzzCounts.Seed + 50);
        var counts = new FuzzCounts("CSV files (POST /api/imports)");
        var budget = FuzzCounts.Budget(300);
        var accepted = 0;
        var csv = Encoding.UTF8.GetBytes(
            "record_type,source_ref,assignment_number,given_name,family_name,date_of_birth,staff_group,job_title,subject,level,completed_on,provider\n"
            + "staff,ESR-F-1,F-0001,Nia,Jones,1991-05-06,Nursing and Midwifery Registered,\"Staff Nurse, Ward 3\",,,,\n"
            + "training,LMS-F-1,F-0001,,,,,,fire_safety,1,2026-01-10,Trust Learning\n");
        while (counts.Inputs < budget)
        {
            var mutated = mutator.Mutate(csv, ',', '\n');
            if (mutated.AsSpan().SequenceEqual(csv))
                continue;
            using var response = await hr.PostAsync(Url("/api/imports"), Content(mutated, "text/csv"));
            var status = (int)response.StatusCode;
            if (status == 202)
                accepted++;
            counts.Record(status, false, storedByRefusal: false, $"{mutator.Last}: {Excerpt(mutated)}");
        }
        var stored = await app.WithDbAsync(db => db.ImportJobs.CountAsync(j => j.OdsCode == ods));
        if (stored != accepted)
            counts.Record(0, false, storedByRefusal: true, $"{stored} imports stored, {accepted} requests accepted");
        Assert.True(counts.IsClean, counts.Report());
    }
}
