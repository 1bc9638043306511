using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.Jose;
using Passport.Verifier.Decisions;
using Passport.Verifier.Presentations;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Tests.Decisions;

namespace Passport.Verifier.Tests.Presentations;

public sealed class PresentationRequestTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly Uri Requests = new("/api/presentation-requests", UriKind.Relative);

    private sealed record Scenario(string Own, TestIssuer Home, Guid AgreementId, EcdsaJwsSigner Holder, Dictionary<string, TestCredential> Credentials);

    /// <summary>What the wallet read from the request object.</summary>
    private sealed record WalletView(Guid Id, string ClientId, string Nonce, string State, Uri ResponseUri, JsonObject Dcql, CompactJws Jws);

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

    private async Task<JsonObject> CreateRequestAsync(Scenario s, string? webhook = null)
    {
        using var client = bed.App.ClientFor(s.Own, "verifier");
        var body = new JsonObject
        {
            ["agreementId"] = s.AgreementId,
            ["role"] = SampleAgreement.Role,
            ["start"] = SampleClaims.Day(Today.AddDays(7)),
            ["end"] = SampleClaims.Day(Today.AddDays(36)),
        };
        if (webhook is not null)
            body["webhookUrl"] = webhook;
        var response = await client.PostAsJsonAsync(Requests, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<WalletView> FetchAsync(JsonObject created)
    {
        using var wallet = bed.App.Anonymous();
        var response = await wallet.GetAsync(new Uri(created["requestUri"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/oauth-authz-req+jwt", response.Content.Headers.ContentType?.MediaType);
        Assert.True(CompactJws.TryParse(await response.Content.ReadAsStringAsync(), out var jws, out var error), error?.ToString());
        var p = jws.Payload;
        return new WalletView(created["id"]!.GetValue<Guid>(), p["client_id"]!.GetValue<string>(), p["nonce"]!.GetValue<string>(),
            p["state"]!.GetValue<string>(), new Uri(p["response_uri"]!.GetValue<string>()), p["dcql_query"]!.AsObject(), jws);
    }

    private static async Task<JsonObject> VpTokenAsync(Scenario s, WalletView view, string? audience = null, string? nonce = null)
    {
        var token = new JsonObject();
        foreach (var query in view.Dcql["credentials"]!.AsArray())
        {
            var id = query!["id"]!.GetValue<string>();
            if (s.Credentials.TryGetValue(id, out var credential))
                token[id] = new JsonArray(await credential.PresentAsync(s.Holder, audience ?? view.ClientId, nonce ?? view.Nonce));
        }
        return token;
    }

    private async Task<HttpResponseMessage> AnswerAsync(WalletView view, JsonObject vpToken, string? state = null)
    {
        using var wallet = bed.App.Anonymous();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["vp_token"] = vpToken.ToJsonString(),
            ["state"] = state ?? view.State,
        });
        return await wallet.PostAsync(view.ResponseUri, form);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal(code, JsonNode.Parse(body)!["code"]!.GetValue<string>());
    }

    private async Task<string> StateOfAsync(Scenario s, Guid id)
    {
        using var client = bed.App.ClientFor(s.Own, "verifier");
        return (await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/presentation-requests/{id}", UriKind.Relative)))!["state"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_request_is_a_signed_request_object_by_reference_with_a_fresh_nonce_and_a_dcql_query_from_the_agreement()
    {
        var s = await ArrangeAsync();

        var created = await CreateRequestAsync(s);
        var view = await FetchAsync(created);
        var other = await FetchAsync(await CreateRequestAsync(s));

        Assert.Equal("oauth-authz-req+jwt", view.Jws.Type);
        Assert.Equal("ES256", view.Jws.Algorithm);
        // OpenID4VP 1.0 §5.9.3 x509_hash: the client identifier is the SHA-256 of the leaf certificate, whose key signed the request.
        using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(view.Jws.Header["x5c"]![0]!.GetValue<string>()));
        Assert.Equal("x509_hash:" + Base64UrlStrict.Encode(SHA256.HashData(leaf.RawData)), view.ClientId);
        using var key = leaf.GetECDsaPublicKey()!;
        Assert.True(view.Jws.VerifyWith(EcPublicJwk.FromECDsa(key)));
        Assert.Equal(view.ClientId, created["clientId"]!.GetValue<string>());
        Assert.Equal("vp_token", view.Jws.Payload["response_type"]!.GetValue<string>());
        Assert.Equal("direct_post", view.Jws.Payload["response_mode"]!.GetValue<string>());
        Assert.Equal(new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{s.Own}/responses"), view.ResponseUri);
        Assert.True(Base64UrlStrict.TryDecode(view.Nonce, out var nonceBytes) && nonceBytes.Length >= 16);
        Assert.NotEqual(view.Nonce, other.Nonce);
        Assert.Equal(5, view.Dcql["credentials"]!.AsArray().Count(c => (string)c!["id"]! != DcqlQuery.PersonQueryId));
        Assert.Equal(
            $"openid4vp://?client_id={Uri.EscapeDataString(view.ClientId)}&request_uri={Uri.EscapeDataString(created["requestUri"]!.GetValue<string>())}",
            created["deepLink"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_organisations_requests_name_it_to_the_wallet_under_a_client_identifier_of_its_own()
    {
        var s = await ArrangeAsync();
        var other = await ArrangeAsync();
        using var admin = bed.App.ClientFor(s.Own, "org_admin");
        var named = await admin.PutAsJsonAsync(new Uri("/api/verifier-profile", UriKind.Relative), new { name = "Royal Sussex County Hospital" });
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);

        var view = await FetchAsync(await CreateRequestAsync(s));
        var again = await FetchAsync(await CreateRequestAsync(s));
        var otherView = await FetchAsync(await CreateRequestAsync(other));

        Assert.Equal("Royal Sussex County Hospital", view.Jws.Payload["client_metadata"]!["client_name"]!.GetValue<string>());
        Assert.Equal(other.Own, otherView.Jws.Payload["client_metadata"]!["client_name"]!.GetValue<string>());
        Assert.NotEqual(view.ClientId, otherView.ClientId);
        Assert.Equal(view.ClientId, again.ClientId);
        using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(view.Jws.Header["x5c"]![0]!.GetValue<string>()));
        Assert.Contains("Royal Sussex County Hospital", leaf.Subject, StringComparison.Ordinal);
        Assert.Equal("x509_hash:" + Base64UrlStrict.Encode(SHA256.HashData(leaf.RawData)), view.ClientId);
        using var key = leaf.GetECDsaPublicKey()!;
        Assert.True(view.Jws.VerifyWith(EcPublicJwk.FromECDsa(key)));
        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(view, await VpTokenAsync(s, view))).StatusCode);
    }

    [Fact]
    public async Task Only_an_organisation_admin_names_the_organisation_to_wallets()
    {
        var own = Ods.New();
        using var verifier = bed.App.ClientFor(own, "verifier");
        using var admin = bed.App.ClientFor(own, "org_admin");

        Assert.Equal(HttpStatusCode.Forbidden, (await verifier.PutAsJsonAsync(new Uri("/api/verifier-profile", UriKind.Relative), new { name = "Someone else" })).StatusCode);
        var blank = await admin.PutAsJsonAsync(new Uri("/api/verifier-profile", UriKind.Relative), new { name = " " });
        await AssertProblemAsync(blank, HttpStatusCode.BadRequest, "validation_failed");
        var control = await admin.PutAsJsonAsync(new Uri("/api/verifier-profile", UriKind.Relative), new { name = "Brighton\tTrust" });
        Assert.Equal(["Give the organisation's name as staff know it: 1 to 200 characters, no control characters."],
            (await control.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["name"]!.AsArray().Select(e => (string?)e));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync(new Uri("/api/verifier-profile", UriKind.Relative), new { name = "Brighton Trust" })).StatusCode);
        var read = await verifier.GetFromJsonAsync<JsonObject>(new Uri("/api/verifier-profile", UriKind.Relative));
        Assert.Equal("Brighton Trust", read!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wallets_answer_is_decided_and_consumes_the_request_so_a_second_answer_is_refused()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));
        var vpToken = await VpTokenAsync(s, view);

        var first = await AnswerAsync(view, vpToken);
        var replay = await AnswerAsync(view, vpToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertProblemAsync(replay, HttpStatusCode.BadRequest, "request_already_answered");
        using var client = bed.App.ClientFor(s.Own, "verifier");
        var decision = await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/presentation-requests/{view.Id}/decision", UriKind.Relative));
        Assert.Equal("accepted", decision!["decision"]!.GetValue<string>());
        Assert.Equal(view.Id, decision["requestId"]!.GetValue<Guid>());
        Assert.All(decision["requirements"]!.AsArray(), r => Assert.Equal(r!["id"]!.GetValue<string>(), r["credential"]!["queryId"]!.GetValue<string>()));
        Assert.Equal("answered", await StateOfAsync(s, view.Id));
        Assert.Equal(1, await bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.RequestId == view.Id)));
        await AssertProblemAsync(await bed.App.Anonymous().GetAsync(new Uri(view.ResponseUri, $"requests/{view.Id}")), HttpStatusCode.BadRequest, "request_already_answered");
    }

    [Fact]
    public async Task A_wallet_that_answers_the_name_query_with_the_holders_identity_credential_names_the_person_on_the_decision()
    {
        var s = await ArrangeAsync();
        s.Credentials[DcqlQuery.PersonQueryId] = await s.Home.IssueAsync("identity",
            new JsonObject { ["given_name"] = "Amara", ["family_name"] = "Okafor", ["birth_date"] = "1990-04-01" }, s.Holder);
        var view = await FetchAsync(await CreateRequestAsync(s));

        var answer = await AnswerAsync(view, await VpTokenAsync(s, view));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        using var client = bed.App.ClientFor(s.Own, "verifier");
        var decision = (await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/presentation-requests/{view.Id}/decision", UriKind.Relative)))!;
        Assert.Equal("accepted", (string)decision["decision"]!);
        Assert.Equal(("Amara", "Okafor"), ((string)decision["givenName"]!, (string)decision["familyName"]!));
    }

    [Fact]
    public async Task An_identity_credential_bound_to_another_holder_is_refused_so_nobody_borrows_a_name()
    {
        var s = await ArrangeAsync();
        s.Credentials[DcqlQuery.PersonQueryId] = await s.Home.IssueAsync("identity",
            new JsonObject { ["given_name"] = "Someone", ["family_name"] = "Else" }, EcdsaJwsSigner.Generate("other"));
        var view = await FetchAsync(await CreateRequestAsync(s));
        var token = await VpTokenAsync(s, view);

        var answer = await AnswerAsync(view, token);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task An_answer_with_the_wrong_nonce_is_refused_and_leaves_the_request_open()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));

        var wrong = await AnswerAsync(view, await VpTokenAsync(s, view, nonce: Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32))));

        await AssertProblemAsync(wrong, HttpStatusCode.BadRequest, "nonce_mismatch");
        Assert.Equal("open", await StateOfAsync(s, view.Id));
        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(view, await VpTokenAsync(s, view))).StatusCode);
    }

    [Fact]
    public async Task An_answer_bound_to_another_audience_is_refused()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));
        var organisationClientId = new Uri(new Uri(VerifierApp.PublicBaseUrl), $"verifiers/{s.Own}").ToString();

        var response = await AnswerAsync(view, await VpTokenAsync(s, view, audience: organisationClientId));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "aud_mismatch");
        Assert.Equal("open", await StateOfAsync(s, view.Id));
    }

    [Fact]
    public async Task A_vp_token_that_does_not_answer_the_query_is_refused()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));
        var vpToken = await VpTokenAsync(s, view);
        vpToken["something_else"] = vpToken["dbs"]!.DeepClone();

        await AssertProblemAsync(await AnswerAsync(view, vpToken), HttpStatusCode.BadRequest, "invalid_vp_token");
        await AssertProblemAsync(await AnswerAsync(view, vpToken, state: "not-a-request"), HttpStatusCode.BadRequest, "invalid_state");
        Assert.Equal("open", await StateOfAsync(s, view.Id));
    }

    [Fact]
    public async Task A_revoked_credential_in_a_wallet_answer_is_withdrawn()
    {
        var s = await ArrangeAsync();
        s.Home.Revoke(s.Credentials["fire_safety"]);
        var view = await FetchAsync(await CreateRequestAsync(s));

        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(view, await VpTokenAsync(s, view))).StatusCode);

        using var client = bed.App.ClientFor(s.Own, "verifier");
        var decision = await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/presentation-requests/{view.Id}/decision", UriKind.Relative));
        Assert.Equal("rejected", decision!["decision"]!.GetValue<string>());
        Assert.Equal("withdrawn", decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "fire_safety")!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_credential_of_another_type_answering_a_query_does_not_meet_its_requirement()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));
        var vpToken = await VpTokenAsync(s, view);
        vpToken["right_to_work"] = new JsonArray(await s.Credentials["fire_safety"].PresentAsync(s.Holder, view.ClientId, view.Nonce));

        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(view, vpToken)).StatusCode);

        using var client = bed.App.ClientFor(s.Own, "verifier");
        var decision = await client.GetFromJsonAsync<JsonObject>(new Uri($"/api/presentation-requests/{view.Id}/decision", UriKind.Relative));
        Assert.Equal("rejected", decision!["decision"]!.GetValue<string>());
        var rtw = decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "right_to_work")!;
        Assert.Equal("not_met", rtw["outcome"]!.GetValue<string>());
        Assert.Contains(SampleAgreement.Vct("training"), rtw["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_webhook_receives_the_decision()
    {
        var s = await ArrangeAsync();
        var received = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        var path = $"/hooks/{s.Own}";
        bed.Server.Map(path, async context =>
        {
            received.TrySetResult((await JsonNode.ParseAsync(context.Request.Body))!.AsObject());
            context.Response.StatusCode = 204;
        });
        var view = await FetchAsync(await CreateRequestAsync(s, bed.Server.Url(path).ToString()));

        Assert.Equal(HttpStatusCode.OK, (await AnswerAsync(view, await VpTokenAsync(s, view))).StatusCode);

        var decision = await received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(view.Id, decision["requestId"]!.GetValue<Guid>());
        Assert.True(decision["accepted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_declined_request_has_no_decision()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));
        using var wallet = bed.App.Anonymous();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["error"] = "access_denied", ["state"] = view.State });

        Assert.Equal(HttpStatusCode.OK, (await wallet.PostAsync(view.ResponseUri, form)).StatusCode);

        using var client = bed.App.ClientFor(s.Own, "verifier");
        await AssertProblemAsync(await client.GetAsync(new Uri($"/api/presentation-requests/{view.Id}/decision", UriKind.Relative)), HttpStatusCode.Conflict, "request_declined");
        await AssertProblemAsync(await AnswerAsync(view, await VpTokenAsync(s, view)), HttpStatusCode.BadRequest, "request_already_answered");
    }

    [Fact]
    public async Task A_response_body_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        var s = await ArrangeAsync();
        var view = await FetchAsync(await CreateRequestAsync(s));
        using var wallet = bed.App.Anonymous();
        using var content = new StringContent("vp_token=" + new string('a', 300 * 1024) + "&state=" + view.State, Encoding.ASCII, "application/x-www-form-urlencoded");

        await AssertProblemAsync(await wallet.PostAsync(view.ResponseUri, content), HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.Equal("open", await StateOfAsync(s, view.Id));
    }

    [Fact]
    public async Task The_qr_code_is_served_while_the_request_is_open()
    {
        var s = await ArrangeAsync();
        var created = await CreateRequestAsync(s);
        using var client = bed.App.ClientFor(s.Own, "verifier");

        var png = await client.GetAsync(new Uri(created["qrPng"]!.GetValue<string>()));
        var svg = await client.GetAsync(new Uri(created["qrSvg"]!.GetValue<string>()));

        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await png.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_organisations_request_and_decision_are_not_found()
    {
        var s = await ArrangeAsync();
        var id = (await CreateRequestAsync(s))["id"]!.GetValue<Guid>();
        using var stranger = bed.App.ClientFor(Ods.New(), "verifier");

        await AssertProblemAsync(await stranger.GetAsync(new Uri($"/api/presentation-requests/{id}", UriKind.Relative)), HttpStatusCode.NotFound, "request_not_found");
        await AssertProblemAsync(await stranger.GetAsync(new Uri($"/api/presentation-requests/{id}/decision", UriKind.Relative)), HttpStatusCode.NotFound, "request_not_found");
    }

    [Fact]
    public async Task A_request_for_a_role_the_agreement_does_not_cover_is_refused()
    {
        var s = await ArrangeAsync();
        using var client = bed.App.ClientFor(s.Own, "verifier");

        var response = await client.PostAsJsonAsync(Requests, new JsonObject
        {
            ["agreementId"] = s.AgreementId, ["role"] = "surgeon", ["start"] = SampleClaims.Day(Today), ["end"] = SampleClaims.Day(Today.AddDays(1)),
            ["webhookUrl"] = "ftp://example.test/hook",
        });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["role", "webhookUrl"], errors.Select(e => e.Key).Order(StringComparer.Ordinal).ToArray());
    }
}
