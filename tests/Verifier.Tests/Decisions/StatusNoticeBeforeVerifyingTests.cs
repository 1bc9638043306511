using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>
/// POST /api/verify reads the status notices before verifying, keyed by the entries the issuer JWTs claim. A notice still acts
/// on the very next decision for the exact entry of a presented credential, and on nothing else.
/// </summary>
public sealed class StatusNoticeBeforeVerifyingTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string ClientIdFor(string ods) => new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{ods}").ToString();

    private static string NewNonce() => Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private sealed record Scenario(string Own, TestIssuer Home, Guid AgreementId, EcdsaJwsSigner Holder, Dictionary<string, TestCredential> Credentials);

    private async Task<Scenario> ArrangeAsync()
    {
        var home = bed.NewIssuer();
        var own = Ods.New();
        var agreementId = await bed.CreateAgreementAsync(own, home.Ods);
        var holder = EcdsaJwsSigner.Generate("holder");
        var credentials = new Dictionary<string, TestCredential>();
        foreach (var (id, type, claims) in SampleClaims.All(Today))
            credentials[id] = await home.IssueAsync(type, claims, holder);
        return new Scenario(own, home, agreementId, holder, credentials);
    }

    private async Task<Dictionary<string, string>> OutcomesAsync(Scenario s)
    {
        var nonce = NewNonce();
        var presentations = await Task.WhenAll(s.Credentials.Values.Select(c => c.PresentAsync(s.Holder, ClientIdFor(s.Own), nonce)));
        using var client = bed.App.ClientFor(s.Own, "verifier");
        var response = await client.PostAsJsonAsync(new Uri("/api/verify", UriKind.Relative), new JsonObject
        {
            ["presentations"] = new JsonArray([.. presentations.Select(p => (JsonNode)p)]),
            ["nonce"] = nonce,
            ["audience"] = ClientIdFor(s.Own),
            ["agreementId"] = s.AgreementId,
            ["role"] = SampleAgreement.Role,
            ["start"] = SampleClaims.Day(Today.AddDays(7)),
            ["end"] = SampleClaims.Day(Today.AddDays(36)),
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["requirements"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());
    }

    // Straight to the table, as this instance's consumer or another instance's would write it: nothing in this process is told.
    private Task<int> NoticeAsync(string issuerOds, byte status, string uri, long index) => bed.App.WithDbAsync(db =>
    {
        db.Add(StatusNotice.New(issuerOds, Guid.NewGuid(), status, DateTimeOffset.UtcNow, uri, index));
        return db.SaveChangesAsync();
    });

    [Theory]
    [InlineData(1, "withdrawn")]
    [InlineData(2, "suspended")]
    public async Task A_notice_for_the_exact_entry_of_a_presented_credential_is_acted_on_in_the_very_next_decision(byte status, string outcome)
    {
        var s = await ArrangeAsync();
        Assert.Equal("met", (await OutcomesAsync(s))["dbs"]);

        await NoticeAsync(s.Home.Ods, status, s.Home.StatusListUri, s.Credentials["dbs"].StatusIndex);

        var outcomes = await OutcomesAsync(s);
        Assert.Equal(outcome, outcomes["dbs"]);
        Assert.All(outcomes.Where(o => o.Key != "dbs"), o => Assert.Equal("met", o.Value));
    }

    [Fact]
    public async Task A_notice_for_another_index_of_the_same_list_touches_no_presented_credential()
    {
        var s = await ArrangeAsync();
        var presented = s.Credentials.Values.Select(c => c.StatusIndex).ToHashSet();
        var other = Enumerable.Range(0, s.Home.ListSize).First(i => !presented.Contains(i));

        await NoticeAsync(s.Home.Ods, 1, s.Home.StatusListUri, other);

        Assert.All(await OutcomesAsync(s), o => Assert.Equal("met", o.Value));
    }

    [Fact]
    public async Task Notices_read_before_verifying_count_only_for_a_credential_that_verified_with_an_entry_that_was_claimed()
    {
        var s = await ArrangeAsync();
        var dbs = s.Credentials["dbs"];
        await NoticeAsync(s.Home.Ods, 1, s.Home.StatusListUri, dbs.StatusIndex);
        var withdrawal = new StatusNotice.NoticeRow(s.Home.Ods, s.Home.StatusListUri, dbs.StatusIndex, 1);
        var all = s.Credentials.Values.Select(c => (s.Home.StatusListUri, c.StatusIndex)).ToHashSet();
        var allButDbs = all.Where(e => e.StatusIndex != dbs.StatusIndex).ToHashSet();

        // Every verified entry claimed: what was read is taken as it is, without a second query (here it says nothing of dbs).
        Assert.Equal("met", await DbsOutcomeAsync(s, new PrefetchedNotices(all, [])));
        Assert.Equal("withdrawn", await DbsOutcomeAsync(s, new PrefetchedNotices(all, [withdrawal])));
        // One verified entry not claimed: nothing read before verifying is relied on; the notices are read again.
        Assert.Equal("withdrawn", await DbsOutcomeAsync(s, new PrefetchedNotices(allButDbs, [])));
    }

    private async Task<string> DbsOutcomeAsync(Scenario s, PrefetchedNotices prefetched)
    {
        await using var scope = bed.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VerifierDbContext>();
        var agreement = (await AgreementLookup.LoadAsync(db, s.Own, s.AgreementId, null, CancellationToken.None))!;
        var nonce = NewNonce();
        var presented = await Task.WhenAll(s.Credentials.Values.Select(c => c.PresentAsync(s.Holder, ClientIdFor(s.Own), nonce)));
        var (decided, refused) = await scope.ServiceProvider.GetRequiredService<DecisionMaker>().DecideUnsavedAsync(new DecisionAsked
        {
            Agreement = agreement, Role = agreement.Rules.FindRole(SampleAgreement.Role)!, Start = Today.AddDays(7), End = Today.AddDays(36),
            Presentations = [.. presented.Select(p => new ReceivedPresentation(null, p))], Audience = ClientIdFor(s.Own), Nonce = nonce,
            Source = Decision.FromDirectVerification, DecidedBy = "test", StatusNotices = prefetched,
        }, CancellationToken.None);
        Assert.Null(refused);
        return decided!.Decision.Requirements.Single(r => r.Id == "dbs").Outcome;
    }
}
