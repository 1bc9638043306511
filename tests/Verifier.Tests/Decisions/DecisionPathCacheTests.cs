using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Messaging;
using Passport.Verifier.Agreements;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>
/// What the decision path keeps in memory (the rules of agreement versions) and what it must still ask the database every time
/// (which version is current, whether the nonce was used), so that a new version or a replay is seen at once.
/// </summary>
public sealed class DecisionPathCacheTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static string ClientIdFor(string ods) => new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{ods}").ToString();

    private sealed record Scenario(string Own, Guid AgreementId, EcdsaJwsSigner Holder, List<TestCredential> Credentials);

    private async Task<Scenario> ArrangeAsync()
    {
        var home = bed.NewIssuer();
        var own = Ods.New();
        var agreementId = await bed.CreateAgreementAsync(own, home.Ods);
        var holder = EcdsaJwsSigner.Generate("holder");
        var credentials = new List<TestCredential>();
        foreach (var (_, type, claims) in SampleClaims.All(Today))
            credentials.Add(await home.IssueAsync(type, claims, holder));
        return new Scenario(own, agreementId, holder, credentials);
    }

    private async Task<HttpResponseMessage> DecideAsync(Scenario s, int days = 30, string? nonce = null)
    {
        nonce ??= Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        var presentations = await Task.WhenAll(s.Credentials.Select(c => c.PresentAsync(s.Holder, ClientIdFor(s.Own), nonce)));
        using var client = bed.App.ClientFor(s.Own, "verifier");
        return await client.PostAsJsonAsync(new Uri("/api/verify", UriKind.Relative), new JsonObject
        {
            ["presentations"] = new JsonArray([.. presentations.Select(p => (JsonNode)p)]),
            ["nonce"] = nonce,
            ["audience"] = ClientIdFor(s.Own),
            ["agreementId"] = s.AgreementId,
            ["role"] = SampleAgreement.Role,
            ["start"] = SampleClaims.Day(Today.AddDays(7)),
            ["end"] = SampleClaims.Day(Today.AddDays(7 + days - 1)),
        });
    }

    private static async Task<JsonObject> CreatedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static JsonObject ShorterDeployments(string own, string home, int days)
    {
        var json = SampleAgreement.Json(own, home);
        json["maxDeploymentDays"] = days;
        return json;
    }

    [Fact]
    public async Task A_new_agreement_version_saved_through_the_api_applies_to_the_very_next_decision()
    {
        var s = await ArrangeAsync();
        Assert.Equal(1, (await CreatedAsync(await DecideAsync(s)))["agreementVersion"]!.GetValue<int>());
        var home = (await bed.App.WithDbAsync(db => db.Set<AgreementVersion>().AsNoTracking().SingleAsync(v => v.AgreementId == s.AgreementId)))
            .ReadDocument().Parties!.Single(p => p != s.Own);

        using (var admin = bed.App.ClientFor(s.Own, "org_admin"))
        {
            var updated = await admin.PutAsJsonAsync(new Uri($"/api/agreements/{s.AgreementId}", UriKind.Relative), ShorterDeployments(s.Own, home, 20));
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        }

        var tooLong = await DecideAsync(s, days: 30);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 20 days", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await CreatedAsync(await DecideAsync(s, days: 14)))["agreementVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_new_agreement_version_written_by_another_instance_applies_to_the_very_next_decision()
    {
        var s = await ArrangeAsync();
        await CreatedAsync(await DecideAsync(s));

        // Straight to the database, as another Verifier instance would: nothing in this process is told.
        await bed.App.WithDbAsync(async db =>
        {
            var agreement = await db.Set<Agreement>().SingleAsync(a => a.Id == s.AgreementId);
            var home = (await db.Set<AgreementVersion>().AsNoTracking().SingleAsync(v => v.AgreementId == s.AgreementId)).ReadDocument().Parties!.Single(p => p != s.Own);
            db.Add(agreement.AddVersion(SampleAgreement.Document(ShorterDeployments(s.Own, home, 10)), agreement.Title, "elsewhere", DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.BadRequest, (await DecideAsync(s, days: 30)).StatusCode);
        Assert.Equal(2, (await CreatedAsync(await DecideAsync(s, days: 10)))["agreementVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_replayed_nonce_is_refused_after_the_agreement_came_from_memory()
    {
        var s = await ArrangeAsync();
        await CreatedAsync(await DecideAsync(s));
        var nonce = Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        await CreatedAsync(await DecideAsync(s, nonce: nonce));

        var replay = await DecideAsync(s, nonce: nonce);

        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Contains("nonce_already_used", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decision_reads_the_current_version_the_nonce_and_the_status_notices_in_one_query_and_never_the_stored_version_again()
    {
        var s = await ArrangeAsync();
        await CreatedAsync(await DecideAsync(s));

        using var sent = new NpgsqlOperations(bed.App.Database.Name);
        await CreatedAsync(await DecideAsync(s));

        var reads = sent.Texts.Where(t => !t.Contains("outbox_messages", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(reads, t => t.Contains("agreement_versions", StringComparison.Ordinal));
        Assert.True(reads.Count == 1 && reads[0].Contains("agreements", StringComparison.Ordinal) && reads[0].Contains("\"Nonce\"", StringComparison.Ordinal)
                && reads[0].Contains("status_notices", StringComparison.Ordinal),
            "Expected one query reading the agreement, the nonce and the status notices together; got:\n" + string.Join("\n---\n", reads));
    }

    [Fact]
    public async Task A_decision_and_its_event_are_written_in_one_round_trip()
    {
        var s = await ArrangeAsync();
        await CreatedAsync(await DecideAsync(s));

        using var sent = new NpgsqlOperations(bed.App.Database.Name);
        var decision = await CreatedAsync(await DecideAsync(s));

        var inserts = sent.Texts.Where(t => t.Contains("INSERT INTO verifier.decisions", StringComparison.Ordinal)).ToList();
        Assert.True(inserts.Count == 1 && inserts[0].Contains("INSERT INTO verifier.outbox_messages", StringComparison.Ordinal),
            "Expected the decision and its outbox row in one round trip; got:\n" + string.Join("\n---\n", sent.Texts));
        var id = decision["id"]!.GetValue<Guid>();
        Assert.Equal(1, await bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.Id == id)));
        Assert.Equal(1, await OutboxRowsNamingAsync(id));
    }

    [Fact]
    public async Task A_decision_whose_event_cannot_be_stored_is_not_stored_either()
    {
        var s = await ArrangeAsync();
        var first = (await CreatedAsync(await DecideAsync(s)))["id"]!.GetValue<Guid>().ToString();
        var taken = await bed.App.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Body.Contains(first)).Select(m => m.MessageId).SingleAsync());
        var decision = new Decision
        {
            OdsCode = s.Own, AgreementId = s.AgreementId, AgreementVersion = 1, Role = SampleAgreement.Role, Start = Today, End = Today,
            Accepted = true, Nonce = Guid.NewGuid().ToString("N"), Source = Decision.FromDirectVerification, DecidedBy = "test",
            DecidedAt = DateTimeOffset.UtcNow, Requirements = [],
        };
        // The event's message id is already in the outbox (unique): the batch's second insert fails after its first succeeded.
        var clash = new OutboxMessage { MessageId = taken, MessageType = "test", Body = "{}", CreatedAt = DateTimeOffset.UtcNow };

        var refused = await bed.App.WithDbAsync(db => bed.App.Services.GetRequiredService<DecisionWriter>()
            .StoreAsync(db, new Decided(decision, clash), () => Passport.ServiceDefaults.Problems.Conflict("test_conflict", "Refused."), CancellationToken.None));

        Assert.NotNull(refused);
        Assert.Equal(0, await bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.Id == decision.Id)));
    }

    [Fact]
    public async Task Concurrent_requests_with_one_nonce_store_one_decision_and_one_event_and_refuse_the_rest()
    {
        var s = await ArrangeAsync();
        await CreatedAsync(await DecideAsync(s));
        var nonce = Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => DecideAsync(s, nonce: nonce)));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var id = (await CreatedAsync(answers.Single(a => a.StatusCode == HttpStatusCode.Created)))["id"]!.GetValue<Guid>();
        Assert.Equal(1, await bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.OdsCode == s.Own && d.Nonce == nonce)));
        Assert.Equal(2, await bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.OdsCode == s.Own)));
        Assert.Equal(1, await OutboxRowsNamingAsync(id));
        Assert.Equal(2, await OutboxRowsNamingAsync(s.Own));
    }

    private Task<int> OutboxRowsNamingAsync(object value) => bed.App.WithDbAsync(db =>
        db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM verifier.outbox_messages WHERE body LIKE {"%" + value + "%"}").SingleAsync());

    [Fact]
    public async Task Another_organisation_is_not_given_an_agreement_version_this_process_already_holds()
    {
        var s = await ArrangeAsync();
        await CreatedAsync(await DecideAsync(s));

        var asOwner = await bed.App.WithDbAsync(db => AgreementLookup.LoadAsync(db, s.Own, s.AgreementId, 1, CancellationToken.None));
        var asOther = await bed.App.WithDbAsync(db => AgreementLookup.LoadAsync(db, Ods.New(), s.AgreementId, 1, CancellationToken.None));
        var noSuchVersion = await bed.App.WithDbAsync(db => AgreementLookup.LoadAsync(db, s.Own, s.AgreementId, 2, CancellationToken.None));

        Assert.Same(AgreementVersionCache.Find(s.AgreementId, 1), asOwner);
        Assert.Null(asOther);
        Assert.Null(noSuchVersion);
    }

    [Fact]
    public void The_agreement_version_cache_never_holds_more_than_its_capacity()
    {
        var rules = SampleAgreement.Rules();
        for (var i = 0; i <= AgreementVersionCache.Capacity; i++)
            AgreementVersionCache.Keep(new LoadedAgreement(Guid.NewGuid(), "RXH", 1, rules));

        Assert.InRange(AgreementVersionCache.Count, 1, AgreementVersionCache.Capacity);
    }
}
