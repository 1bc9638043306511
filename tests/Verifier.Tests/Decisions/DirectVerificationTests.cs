using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Credentials.Jose;
using Passport.Testing;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Decisions;

public sealed class DirectVerificationTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly Uri Verify = new("/api/verify", UriKind.Relative);

    private static string ClientIdFor(string ods) => new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{ods}").ToString();

    private static string NewNonce() => Base64UrlStrict.Encode(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    /// <summary>A receiving organisation with the sample agreement with a home issuer, and a holder with a credential for every requirement.</summary>
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

    private static async Task<List<string>> PresentAllAsync(Scenario s, string audience, string nonce) =>
        [.. await Task.WhenAll(s.Credentials.Values.Select(c => c.PresentAsync(s.Holder, audience, nonce)))];

    private static JsonObject Body(Scenario s, IEnumerable<string> presentations, string nonce, string? audience = null, int days = 30) => new()
    {
        ["presentations"] = new JsonArray([.. presentations.Select(p => (JsonNode)p)]),
        ["nonce"] = nonce,
        ["audience"] = audience ?? ClientIdFor(s.Own),
        ["agreementId"] = s.AgreementId,
        ["role"] = SampleAgreement.Role,
        ["start"] = SampleClaims.Day(Today.AddDays(7)),
        ["end"] = SampleClaims.Day(Today.AddDays(7 + days - 1)),
    };

    private async Task<HttpResponseMessage> PostAsync(string ods, JsonObject body)
    {
        using var client = bed.App.ClientFor(ods, "verifier");
        return await client.PostAsJsonAsync(Verify, body);
    }

    /// <summary>The outcomes as the decisions table holds them: the JSON text of the column, not what EF reads back from it.</summary>
    private Task<string> StoredRequirementsAsync(Guid id) => bed.App.WithDbAsync(db =>
        db.Database.SqlQuery<string>($"SELECT \"Requirements\"::text AS \"Value\" FROM verifier.decisions WHERE \"Id\" = {id}").SingleAsync());

    private Task<int> DecisionCountAsync(string ods) => bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.OdsCode == ods));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonNode.Parse(body)!["code"]!.GetValue<string>());
    }

    private static Dictionary<string, string> Outcomes(JsonObject decision) =>
        decision["requirements"]!.AsArray().ToDictionary(r => r!["id"]!.GetValue<string>(), r => r!["outcome"]!.GetValue<string>());

    [Fact]
    public async Task The_persons_names_from_their_identity_credential_are_kept_on_the_decision_and_nothing_else_of_it()
    {
        var s = await ArrangeAsync();
        var identity = await s.Home.IssueAsync("identity", new JsonObject { ["given_name"] = "Amara", ["family_name"] = "Okafor", ["birth_date"] = "1990-04-01" }, s.Holder);
        var nonce = NewNonce();
        var presentations = await PresentAllAsync(s, ClientIdFor(s.Own), nonce);
        presentations.Add(await identity.PresentAsync(s.Holder, ClientIdFor(s.Own), nonce));

        var response = await PostAsync(s.Own, Body(s, presentations, nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("Amara", "Okafor"), ((string)decision["givenName"]!, (string)decision["familyName"]!));
        var id = decision["id"]!.GetValue<Guid>();
        using var client = bed.App.ClientFor(s.Own, "verifier");
        var read = (await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/decisions/{id}", UriKind.Relative)))!;
        Assert.Equal(("Amara", "Okafor"), ((string)read["givenName"]!, (string)read["familyName"]!));
        var stored = await StoredRequirementsAsync(id);
        Assert.DoesNotContain("1990-04-01", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Presentations_without_the_persons_names_are_still_decided_and_name_nobody()
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("accepted", (string)decision["decision"]!);
        Assert.Null(decision["givenName"]);
        Assert.Null(decision["familyName"]);
    }

    [Fact]
    public async Task Presentations_meeting_the_agreement_are_accepted_stored_without_unneeded_claims_and_published()
    {
        await using var probe = await BusProbe<PresentationVerified>.StartAsync(bed.App.Broker);
        var s = await ArrangeAsync();
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("accepted", decision["decision"]!.GetValue<string>());
        Assert.All(Outcomes(decision).Values, o => Assert.Equal("met", o));
        var dbs = decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "dbs")!;
        Assert.Equal(s.Home.IssuerId, dbs["credential"]!["issuer"]!.GetValue<string>());
        Assert.Equal(s.Home.StatusListUri, dbs["credential"]!["statusListUri"]!.GetValue<string>());
        Assert.Equal("enhanced", dbs["claims"]!["level"]!.GetValue<string>());

        var id = decision["id"]!.GetValue<Guid>();
        var stored = await StoredRequirementsAsync(id);
        Assert.DoesNotContain("certificate_number", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("epp_clearance", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("~", stored, StringComparison.Ordinal);

        using var client = bed.App.ClientFor(s.Own, "verifier");
        var read = await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/decisions/{id}", UriKind.Relative));
        Assert.True(read!["accepted"]!.GetValue<bool>());

        var published = await probe.NextAsync(e => e.DecisionId == id);
        Assert.Equal(s.Own, published.Message.VerifierOdsCode);
        Assert.Equal(s.AgreementId, published.Message.AgreementId);
        Assert.Equal(1, published.Message.AgreementVersion);
        Assert.True(published.Message.Accepted);
    }

    [Fact]
    public async Task A_revoked_credential_is_withdrawn_and_a_suspended_one_is_suspended()
    {
        var s = await ArrangeAsync();
        s.Home.Revoke(s.Credentials["dbs"]);
        s.Home.Suspend(s.Credentials["registration"]);
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("rejected", decision["decision"]!.GetValue<string>());
        var outcomes = Outcomes(decision);
        Assert.Equal("withdrawn", outcomes["dbs"]);
        Assert.Equal("suspended", outcomes["registration"]);
        Assert.Equal("met", outcomes["fire_safety"]);
    }

    private async Task PublishAndWaitAsync<T>(T message, Guid credentialId, byte status) where T : class
    {
        await bed.App.Services.GetRequiredService<IBus>().Publish(message);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await bed.App.WithDbAsync(db => db.Set<StatusNotice>().AnyAsync(n => n.CredentialId == credentialId && n.Status == status)))
            await Task.Delay(50, timeout.Token);
    }

    private async Task<string> OutcomeOfAsync(Scenario s, string requirement)
    {
        var nonce = NewNonce();
        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Outcomes((await response.Content.ReadFromJsonAsync<JsonObject>())!)[requirement];
    }

    [Fact]
    public async Task A_credential_withdrawn_on_the_bus_is_refused_at_once_while_its_cached_status_list_still_says_valid()
    {
        var s = await ArrangeAsync();
        Assert.Equal("met", await OutcomeOfAsync(s, "dbs"));
        var credentialId = Guid.NewGuid();

        await PublishAndWaitAsync(new CredentialRevoked
        {
            CredentialId = credentialId, IssuerOdsCode = s.Home.Ods, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "issued_in_error",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = s.Home.StatusListUri, StatusIndex = s.Credentials["dbs"].StatusIndex,
        }, credentialId, 1);

        Assert.Equal("withdrawn", await OutcomeOfAsync(s, "dbs"));
        Assert.Equal("met", await OutcomeOfAsync(s, "fire_safety"));
    }

    [Fact]
    public async Task A_credential_suspended_on_the_bus_is_refused_at_once_and_accepted_again_when_reinstated()
    {
        var s = await ArrangeAsync();
        Assert.Equal("met", await OutcomeOfAsync(s, "registration"));
        var credentialId = Guid.NewGuid();
        var staffId = Guid.NewGuid();

        await PublishAndWaitAsync(new CredentialSuspended
        {
            CredentialId = credentialId, IssuerOdsCode = s.Home.Ods, StaffId = staffId, CredentialType = "professional-registration", Reason = "update_pending",
            SuspendedAt = DateTimeOffset.UtcNow, StatusListUri = s.Home.StatusListUri, StatusIndex = s.Credentials["registration"].StatusIndex,
        }, credentialId, 2);
        Assert.Equal("suspended", await OutcomeOfAsync(s, "registration"));

        await PublishAndWaitAsync(new CredentialReinstated
        {
            CredentialId = credentialId, IssuerOdsCode = s.Home.Ods, StaffId = staffId, ReinstatedAt = DateTimeOffset.UtcNow.AddSeconds(1),
        }, credentialId, 0);
        Assert.Equal("met", await OutcomeOfAsync(s, "registration"));
    }

    [Fact]
    public async Task Another_issuers_withdrawal_does_not_touch_a_credential_at_the_same_status_list_entry()
    {
        var s = await ArrangeAsync();
        var credentialId = Guid.NewGuid();

        await PublishAndWaitAsync(new CredentialRevoked
        {
            CredentialId = credentialId, IssuerOdsCode = Ods.New(), StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "issued_in_error",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = s.Home.StatusListUri, StatusIndex = s.Credentials["dbs"].StatusIndex,
        }, credentialId, 1);

        Assert.Equal("met", await OutcomeOfAsync(s, "dbs"));
    }

    [Fact]
    public async Task A_credential_from_an_issuer_that_is_not_a_party_is_an_untrusted_issuer()
    {
        var s = await ArrangeAsync();
        var stranger = bed.NewIssuer();
        s.Credentials["dbs"] = await stranger.IssueAsync("dbs", SampleClaims.Dbs(Today), s.Holder);
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("untrusted_issuer", Outcomes(decision)["dbs"]);
        var dbs = decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "dbs")!;
        Assert.Equal(stranger.IssuerId, dbs["credential"]!["issuer"]!.GetValue<string>());
        Assert.Empty(dbs["claims"]!.AsObject());
    }

    /// <summary>The scenario's agreement again, with <paramref name="third"/> as a further party.</summary>
    private async Task<Scenario> WithThirdPartyAsync(Scenario s, TestIssuer third)
    {
        var json = SampleAgreement.Json(s.Own, s.Home.Ods);
        json["parties"]!.AsArray().Add(third.Ods);
        using var client = bed.App.ClientFor(s.Own, "org_admin");
        var response = await client.PostAsJsonAsync(new Uri("/api/agreements", UriKind.Relative), json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return s with { AgreementId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>() };
    }

    private async Task<HttpResponseMessage> DeployAsync(Scenario s, Guid decisionId, string homeOds, string staffId)
    {
        using var client = bed.App.ClientFor(s.Own, "verifier");
        return await client.PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new JsonObject
        {
            ["decisionId"] = decisionId, ["homeOdsCode"] = homeOds, ["staffId"] = staffId, ["hostSite"] = "Ward 3",
            ["start"] = SampleClaims.Day(Today.AddDays(7)), ["end"] = SampleClaims.Day(Today.AddDays(10)),
        });
    }

    [Fact]
    public async Task Two_peoples_credentials_from_two_issuers_cannot_be_combined_in_one_presentation()
    {
        var third = bed.NewIssuer();
        var s = await WithThirdPartyAsync(await ArrangeAsync(), third);
        var someoneElse = EcdsaJwsSigner.Generate("someone-else");
        var nonce = NewNonce();
        var presentations = await PresentAllAsync(s, ClientIdFor(s.Own), nonce);
        var dbs = await third.IssueAsync("dbs", SampleClaims.Dbs(Today), someoneElse);
        presentations[0] = await dbs.PresentAsync(someoneElse, ClientIdFor(s.Own), nonce);

        var response = await PostAsync(s.Own, Body(s, presentations, nonce));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "holder_mismatch");
        Assert.Equal(0, await DecisionCountAsync(s.Own));
    }

    [Fact]
    public async Task A_credential_that_names_no_subject_is_refused()
    {
        var s = await ArrangeAsync();
        s.Credentials["dbs"] = await s.Home.IssueAsync("dbs", SampleClaims.Dbs(Today), s.Holder, subject: "");
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "subject_missing");
        Assert.Equal(0, await DecisionCountAsync(s.Own));
    }

    [Fact]
    public async Task One_holders_credentials_from_two_issuers_are_decided_and_deploy_only_the_home_organisations_subject()
    {
        var third = bed.NewIssuer();
        var s = await WithThirdPartyAsync(await ArrangeAsync(), third);
        s.Credentials["dbs"] = await third.IssueAsync("dbs", SampleClaims.Dbs(Today), s.Holder);
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(decision["accepted"]!.GetValue<bool>());
        var id = decision["id"]!.GetValue<Guid>();
        var wrongPerson = await DeployAsync(s, id, s.Home.Ods, third.SubjectOf(s.Holder));
        await AssertProblemAsync(wrongPerson, HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.Created, (await DeployAsync(s, id, s.Home.Ods, s.Home.SubjectOf(s.Holder))).StatusCode);
    }

    [Fact]
    public async Task A_status_index_beyond_the_issuers_list_does_not_meet_its_requirement_with_a_reason()
    {
        var s = await ArrangeAsync();
        s.Credentials["dbs"] = await s.Home.IssueAsync("dbs", SampleClaims.Dbs(Today), s.Holder, statusIndex: s.Home.ListSize + 10);
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(decision["accepted"]!.GetValue<bool>());
        var dbs = decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "dbs")!;
        Assert.Equal("not_met", dbs["outcome"]!.GetValue<string>());
        Assert.Contains("outside", dbs["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("met", Outcomes(decision)["fire_safety"]);
    }

    [Fact]
    public async Task A_right_to_work_ending_during_the_deployment_expires_before_its_end()
    {
        var s = await ArrangeAsync();
        var rtw = SampleClaims.RightToWork(Today);
        rtw["expires_on"] = SampleClaims.Day(Today.AddDays(20));
        s.Credentials["right_to_work"] = await s.Home.IssueAsync("right-to-work", rtw, s.Holder);
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce));

        var decision = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("expires_before_deployment_end", Outcomes(decision)["right_to_work"]);
        Assert.False(decision["accepted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_presentation_bound_to_another_nonce_is_refused_and_nothing_is_stored()
    {
        var s = await ArrangeAsync();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), NewNonce()), NewNonce()));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "nonce_mismatch");
        Assert.Equal(0, await DecisionCountAsync(s.Own));
    }

    [Fact]
    public async Task A_presentation_made_for_another_verifier_is_refused()
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(Ods.New()), nonce), nonce));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "aud_mismatch");
        Assert.Equal(0, await DecisionCountAsync(s.Own));
    }

    [Fact]
    public async Task An_audience_that_is_not_this_organisations_client_identifier_is_refused()
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();
        var someoneElse = ClientIdFor(Ods.New());

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, someoneElse, nonce), nonce, someoneElse));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "audience_not_ours");
    }

    [Fact]
    public async Task The_same_presentations_cannot_be_decided_twice()
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();
        var body = Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce);

        Assert.Equal(HttpStatusCode.Created, (await PostAsync(s.Own, body)).StatusCode);
        var replay = await PostAsync(s.Own, body);

        await AssertProblemAsync(replay, HttpStatusCode.Conflict, "nonce_already_used");
        Assert.Equal(1, await DecisionCountAsync(s.Own));
    }

    public static TheoryData<string, string> Attacks => new()
    {
        { "tampered_signature", "invalid_signature" },
        { "alg_none", "alg_not_allowed" },
        { "no_key_binding", "key_binding_required" },
        { "duplicate_disclosure", "duplicate_disclosure" },
        { "tampered_disclosure", "unreferenced_disclosure" },
        { "wrong_sd_hash", "sd_hash_mismatch" },
        { "garbage", "malformed_jwt" },
        { "credential_header_not_utf8", "invalid_utf8" },
        { "kb_payload_not_utf8", "invalid_utf8" },
        { "disclosure_not_utf8", "invalid_utf8" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task A_hostile_presentation_gets_its_precise_code_and_changes_nothing(string attack, string code)
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();
        var presentations = await PresentAllAsync(s, ClientIdFor(s.Own), nonce);
        presentations[0] = Attack(attack, presentations[0], presentations[1]);

        var response = await PostAsync(s.Own, Body(s, presentations, nonce));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(0, await DecisionCountAsync(s.Own));
        var detail = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"];
        if (attack == "credential_header_not_utf8")
            Assert.Contains("credential JWT header", detail, StringComparison.Ordinal);
        if (attack == "kb_payload_not_utf8")
            Assert.Contains("KB-JWT payload", detail, StringComparison.Ordinal);
    }

    private static string Attack(string attack, string presentation, string other)
    {
        var parts = presentation.Split('~');
        var jwt = parts[0].Split('.');
        switch (attack)
        {
            case "tampered_signature":
                var signature = Decode(jwt[2]);
                signature[10] ^= 0x01;
                parts[0] = $"{jwt[0]}.{jwt[1]}.{Base64UrlStrict.Encode(signature)}";
                break;
            case "alg_none":
                var header = JsonNode.Parse(Decode(jwt[0]))!.AsObject();
                header["alg"] = "none";
                parts[0] = $"{Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{jwt[1]}.";
                break;
            case "no_key_binding":
                parts[^1] = "";
                break;
            case "duplicate_disclosure":
                return string.Join('~', parts.Take(2).Append(parts[1]).Concat(parts.Skip(2)));
            case "tampered_disclosure":
                parts[1] = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes("[\"c2FsdHNhbHRzYWx0\",\"level\",\"enhanced\"]"));
                break;
            case "wrong_sd_hash":
                parts[^1] = other.Split('~')[^1];
                break;
            case "garbage":
                return "not-a-presentation~";
            case "credential_header_not_utf8":
                parts[0] = $"{NotUtf8}.{jwt[1]}.{jwt[2]}";
                break;
            case "kb_payload_not_utf8":
                var kb = parts[^1].Split('.');
                parts[^1] = $"{kb[0]}.{NotUtf8}.{kb[2]}";
                break;
            case "disclosure_not_utf8":
                parts[1] = Base64UrlStrict.Encode([.. "[\"c2FsdA\",\"level\",\""u8.ToArray(), 0xC0, 0xAF, .. "\"]"u8.ToArray()]);
                break;
        }
        return string.Join('~', parts);
    }

    // {"\xff":1}: a member name that is not UTF-8 (RFC 8259 §8.1).
    private const string NotUtf8 = "eyL_IjoxfQ";

    private static byte[] Decode(string text)
    {
        Assert.True(Base64UrlStrict.TryDecode(text, out var bytes));
        return bytes;
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var s = await ArrangeAsync();
        using var client = bed.App.ClientFor(s.Own, "verifier");
        using var content = new StringContent(new string('{', 300 * 1024), Encoding.UTF8, "application/json");

        var response = await client.PostAsync(Verify, content);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
    }

    [Fact]
    public async Task A_deployment_outside_the_agreements_terms_is_refused_naming_the_field()
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();

        var response = await PostAsync(s.Own, Body(s, await PresentAllAsync(s, ClientIdFor(s.Own), nonce), nonce, days: 91));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["end"], errors.Select(e => e.Key).ToArray());
    }

    [Fact]
    public async Task Another_organisations_agreement_is_not_found()
    {
        var s = await ArrangeAsync();
        var nonce = NewNonce();
        var other = Ods.New();
        var body = Body(s, await PresentAllAsync(s, ClientIdFor(other), nonce), nonce, ClientIdFor(other));

        await AssertProblemAsync(await PostAsync(other, body), HttpStatusCode.NotFound, "agreement_not_found");
    }

    [Fact]
    public async Task Staff_cannot_verify_presentations()
    {
        using var client = bed.App.ClientFor(Ods.New(), "staff", Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync(Verify, new JsonObject())).StatusCode);
    }
}
