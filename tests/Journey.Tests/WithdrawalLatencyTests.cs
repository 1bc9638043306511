using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.ServiceDefaults;
using Xunit.Abstractions;

namespace Passport.Journey.Tests;

/// <summary>
/// Both services with status lists that stay cached for five minutes, as in production: a refusal right after HR's click
/// can only come from the withdrawal event on the bus, never from a fresh copy of the list.
/// </summary>
public sealed class LongTtlServices : IAsyncLifetime
{
    public TwoServices Services { get; } = new();

    public Task InitializeAsync()
    {
        Services.Overrides["Issuer:StatusListTtl"] = "00:05:00";
        Services.Overrides["Verifier:Trust:StatusListMaxCacheDuration"] = "00:05:00";
        Services.Overrides["Outbox:PollInterval"] = "00:00:01";
        return Services.InitializeAsync();
    }

    public Task DisposeAsync() => Services.DisposeAsync();
}

/// <summary>
/// HR's click to refusal at the Verifier within one installation (real PostgreSQL and RabbitMQ). The test asserts only that
/// each withdrawn credential is refused while its status list is still cached; the time from the click to the first refusal
/// is printed as p50/p99, not asserted. <c>PASSPORT_WITHDRAWALS=100</c> makes it a measurement run (default 3).
/// </summary>
public sealed class WithdrawalLatencyTests(LongTtlServices fixture, ITestOutputHelper output) : IClassFixture<LongTtlServices>
{
    private readonly TwoServices _services = fixture.Services;

    private static Uri Url(string path) => new(path, UriKind.Relative);

    private static string Day(int fromToday) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly ClaimPath[] DbsClaims = [ClaimPath.Of("level"), ClaimPath.Of("barred_list_adults"), ClaimPath.Of("barred_list_children"), ClaimPath.Of("issued_on")];

    private static async Task<JsonObject> Ok(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : (JsonObject)JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task A_withdrawn_credential_is_refused_at_the_verifier_while_its_status_list_is_still_cached()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable("PASSPORT_WITHDRAWALS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 3;
        var suffix = RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        var (home, host) = ("H" + suffix, "V" + suffix);
        await Ok(await _services.Issuer.As(home, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Home Trust {home}" }), HttpStatusCode.Created);
        var hr = _services.Issuer.As(home, PassportRoles.HrIssuer);
        var agreementId = await AgreeAsync(host, home);
        var verifier = _services.Verifier.As(host, PassportRoles.Verifier);
        var audience = $"{VerifierHost.PublicBaseUrl}verifiers/{host}";
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);

        async Task<string> OutcomeAsync(Wallet wallet, HeldCredential dbs)
        {
            var nonce = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));
            var presentations = new[] { await wallet.PresentAsync(dbs, DbsClaims, audience, nonce) };
            var decision = await Ok(await verifier.PostAsJsonAsync(Url("/api/verify"),
                new { presentations, nonce, audience, agreementId, role = "registered_nurse", start, end = start.AddDays(10) }), HttpStatusCode.Created);
            return decision["requirements"]![0]!["outcome"]!.GetValue<string>();
        }

        var latencies = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var staff = await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
            {
                givenName = "Amara", familyName = "Okafor", dateOfBirth = "1990-04-01", assignmentNumber = $"W-{Guid.NewGuid():N}"[..14],
                staffGroup = "Nursing and Midwifery Registered", jobTitle = "Staff Nurse",
            }), HttpStatusCode.Created);
            var staffId = staff["id"]!.GetValue<Guid>();
            var issued = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
            {
                type = "dbs", sourceReference = $"DBS-{Guid.NewGuid():N}",
                claims = new { level = "enhanced", barred_list_adults = true, barred_list_children = true, certificate_number = "001234567890", issued_on = Day(-100) },
            }), HttpStatusCode.Created);
            var offer = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { }), HttpStatusCode.Created);
            using var wallet = new Wallet(_services.Issuer.Anonymous());
            var dbs = (await wallet.ReceiveAsync(offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>())).Single();
            // Accepted once, so the Verifier now holds the list (valid) for five minutes.
            Assert.Equal("met", await OutcomeAsync(wallet, dbs));

            var clock = Stopwatch.StartNew();
            await Ok(await hr.PostAsJsonAsync(Url($"/api/credentials/{issued["id"]!.GetValue<Guid>()}/revoke"), new { reason = "no_longer_valid" }), HttpStatusCode.OK);
            string outcome;
            while ((outcome = await OutcomeAsync(wallet, dbs)) == "met" && clock.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(10);
            clock.Stop();
            Assert.Equal("withdrawn", outcome);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var report = string.Create(CultureInfo.InvariantCulture,
            $"HR click to refusal at the Verifier over {runs} withdrawals: p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms");
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private async Task<Guid> AgreeAsync(string host, string home)
    {
        var agreement = await Ok(await _services.Verifier.As(host, PassportRoles.OrganisationAdmin).PostAsJsonAsync(Url("/api/agreements"), new JsonObject
        {
            ["title"] = $"Mutual aid {host}-{home}",
            ["parties"] = new JsonArray(host, home),
            ["startsOn"] = Day(-365),
            ["endsOn"] = Day(365),
            ["staffGroups"] = new JsonArray("Nursing and Midwifery Registered"),
            ["maxDeploymentDays"] = 90,
            ["homeApprovalRequired"] = false,
            ["roles"] = new JsonArray(new JsonObject
            {
                ["role"] = "registered_nurse",
                ["requirements"] = new JsonArray(new JsonObject
                {
                    ["id"] = "dbs", ["vct"] = $"{_services.Issuer.PublicBaseUrl}vct/dbs",
                    ["conditions"] = new JsonArray(new JsonObject { ["claim"] = new JsonArray("level"), ["equals"] = "enhanced" }),
                }),
            }),
        }), HttpStatusCode.Created);
        return agreement["id"]!.GetValue<Guid>();
    }
}
