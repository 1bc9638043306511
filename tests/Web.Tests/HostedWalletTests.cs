extern alias HostAssembly;

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HostAssembly::Passport.Host;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Credentials.OpenId4Vp;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Data;
using Passport.Issuer.HostedWallet;
using HostedWalletRow = Passport.Issuer.HostedWallet.HostedWallet;

namespace Passport.Web.Tests;

/// <summary>
/// The route for staff without a smartphone, through the API: HR keeps a hosted wallet, issues into it, and presents on the person's
/// behalf with their recorded consent, or the person presents themself; the Verifier checks the presentation like any other and
/// the home organisation's attestation, records the route and consent, and refuses what a hostile wallet might send.
/// </summary>
[Collection(SiteTests.Name)]
public sealed class HostedWalletTests(PassportSite site)
{
    [Fact]
    public async Task A_hosted_wallet_keeps_its_holder_key_encrypted_so_the_database_row_does_not_reveal_it()
    {
        var person = await HostedAsync("Hana", "Hosted");

        var row = await WalletRowAsync(person.Id);
        using var opened = site.Services.GetRequiredService<HostedWalletKeys>().Open(row);
        var privateScalar = opened.Key.ExportParameters(includePrivateParameters: true).D!;

        Assert.Equal(-1, row.ProtectedPrivateKey.AsSpan().IndexOf(privateScalar));
        Assert.Throws<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(row.ProtectedPrivateKey, out _));
        Assert.DoesNotContain("\"d\"", row.PublicJwk, StringComparison.Ordinal);
        var response = await GetAsync(TestUser.HrAtRhq, $"api/staff/{person.Id}/hosted-wallet");
        Assert.DoesNotContain(Convert.ToBase64String(row.ProtectedPrivateKey), response.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Base64UrlStrict.Encode(privateScalar), response.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_copied_key_ciphertext_does_not_open_as_another_persons_key()
    {
        var first = await HostedAsync("Cora", "Copied");
        var second = await HostedAsync("Dion", "Copied");
        var a = await WalletRowAsync(first.Id);
        var b = await WalletRowAsync(second.Id);
        var swapped = new HostedWalletRow
        {
            Id = b.Id, OdsCode = b.OdsCode, StaffId = b.StaffId, PublicJwk = b.PublicJwk, ProtectedPrivateKey = a.ProtectedPrivateKey,
            CreatedBy = b.CreatedBy, CreatedAt = b.CreatedAt,
        };

        Assert.ThrowsAny<CryptographicException>(() => site.Services.GetRequiredService<HostedWalletKeys>().Open(swapped).Dispose());
    }

    [Fact]
    public async Task HR_issues_into_the_hosted_wallet_and_every_credential_is_bound_to_its_key_and_kept_accepted()
    {
        var person = await HostedAsync("Ivy", "Issued");

        var wallet = await GetAsync(TestUser.HrAtRhq, $"api/staff/{person.Id}/hosted-wallet");
        var thumbprint = wallet["holderKeyThumbprint"]!.GetValue<string>();
        Assert.Equal(person.Credentials.Values.Sum(c => c.Count), wallet["credentials"]!.AsArray().Count);
        Assert.All(wallet["credentials"]!.AsArray(), c => Assert.Equal("active", c!["status"]!.GetValue<string>()));
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var stored = await db.Set<HostedCredential>().AsNoTracking().Where(h => h.WalletId == (db.Set<HostedWalletRow>().First(w => w.StaffId == person.Id)).Id).ToListAsync();
        Assert.NotEmpty(stored);
        foreach (var credential in stored)
        {
            Assert.True(HeldCredential.TryParse(credential.SdJwt, out var held, out _));
            Assert.True(EcPublicJwk.TryParse(held.Jwt.Payload["cnf"]!["jwk"], out var holder, out _));
            Assert.Equal(thumbprint, holder.Thumbprint());
        }
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        using var again = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/credentials", new JsonObject());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(stored.Count, (await again.Content.ReadFromJsonAsync<JsonObject>())!["credentials"]!.AsArray().Count);
    }

    [Fact]
    public async Task HR_presents_on_the_persons_behalf_with_their_recorded_consent_and_the_decision_records_the_route_and_consent()
    {
        var person = await HostedAsync("Hugo", "Behalf");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var givenAt = DateTimeOffset.UtcNow.AddHours(-2);

        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        using var response = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/presentations",
            new JsonObject { ["requestLink"] = link, ["consentMethod"] = "phone", ["consentGivenAt"] = givenAt.ToString("O") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        Assert.Equal("hosted_wallet", decision["route"]!.GetValue<string>());
        var hosted = decision["hostedWallet"]!;
        Assert.Equal("phone", hosted["consentMethod"]!.GetValue<string>());
        Assert.Equal(TestUser.HrAtRhq.Subject, hosted["consentRecordedBy"]!.GetValue<string>());
        Assert.Equal(givenAt.ToUnixTimeSeconds(), hosted["consentGivenAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.EndsWith("issuers/RHQ", hosted["hostedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        var wallet = await GetAsync(TestUser.HrAtRhq, $"api/staff/{person.Id}/hosted-wallet");
        var presented = wallet["presentations"]!.AsArray().Single()!;
        Assert.Equal("phone", presented["consentMethod"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(presented["verifierName"]?.GetValue<string>()));
    }

    [Fact]
    public async Task HR_cannot_present_on_someones_behalf_without_saying_how_and_when_they_consented_and_nothing_is_shared()
    {
        var person = await HostedAsync("Nell", "Noconsent");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);

        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        using var missing = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/presentations", new JsonObject { ["requestLink"] = link });
        using var future = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/presentations",
            new JsonObject { ["requestLink"] = link, ["consentMethod"] = "in_person", ["consentGivenAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O") });
        using var signedIn = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/presentations",
            new JsonObject { ["requestLink"] = link, ["consentMethod"] = "signed_in", ["consentGivenAt"] = DateTimeOffset.UtcNow.ToString("O") });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("consentMethod", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signedIn.StatusCode);
        Assert.Equal("open", await RequestStateAsync(requestId));
    }

    [Fact]
    public async Task The_person_sees_what_will_be_shared_and_presents_their_hosted_passport_themself()
    {
        var person = await HostedAsync("Sami", "Self");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);

        using var me = await site.ApiAsync(person.User);
        using var planned = await me.PostAsJsonAsync("api/me/hosted-wallet/plan", new JsonObject { ["requestLink"] = link });
        var plan = (await planned.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        Assert.False(string.IsNullOrEmpty(plan["verifierName"]?.GetValue<string>()));
        Assert.Empty(plan["unanswered"]!.AsArray());
        Assert.Contains(plan["shared"]!.AsArray(), c => c!["claim"]!.GetValue<string>() == "level" && c["value"]!.GetValue<string>() == "enhanced");
        Assert.Equal("open", await RequestStateAsync(requestId));

        using var presented = await me.PostAsJsonAsync("api/me/hosted-wallet/presentations", new JsonObject { ["requestLink"] = link });

        Assert.Equal(HttpStatusCode.Created, presented.StatusCode);
        var decision = await Scene.DecisionAsync(site, requestId);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        Assert.Equal("hosted_wallet", decision["route"]!.GetValue<string>());
        Assert.Equal("signed_in", decision["hostedWallet"]!["consentMethod"]!.GetValue<string>());
        Assert.Null(decision["hostedWallet"]!["consentRecordedBy"]);
    }

    [Fact]
    public async Task A_role_whose_agreement_refuses_hosted_wallets_gets_a_rejected_decision_that_says_why()
    {
        var person = await HostedAsync("Rita", "Refused");
        var link = await RequestUnderAgreementWithoutHostedWalletsAsync();

        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        using var response = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/presentations",
            new JsonObject { ["requestLink"] = link.Link, ["consentMethod"] = "in_person", ["consentGivenAt"] = DateTimeOffset.UtcNow.ToString("O") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var decision = await Scene.DecisionAsync(site, link.Id);
        Assert.False(decision["accepted"]!.GetValue<bool>());
        Assert.Equal("hosted_wallet", decision["route"]!.GetValue<string>());
        var refusal = decision["requirements"]!.AsArray().Single(r => r!["id"]!.GetValue<string>() == "hosted_wallet")!;
        Assert.Equal("not_met", refusal["outcome"]!.GetValue<string>());
        Assert.Contains("does not accept presentations from a hosted wallet", refusal["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_attestation_is_refused_and_the_request_stays_open()
    {
        var person = await HostedAsync("Tara", "Tampered");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var form = await AnswerAsync(person.Id, link);
        var parts = form[HostedWalletAttestation.Parameter].Split('.');
        var payload = JsonNode.Parse(Decode(parts[1]))!.AsObject();
        payload["consent"]!["method"] = "in_person";
        payload["consent"]!["recorded_by"] = "someone-else";
        form[HostedWalletAttestation.Parameter] = $"{parts[0]}.{Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";

        var (status, code) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("attestation_invalid_signature", code);
        Assert.Equal("open", await RequestStateAsync(requestId));
    }

    [Fact]
    public async Task An_attestation_bound_to_another_requests_nonce_is_refused()
    {
        var person = await HostedAsync("Nina", "Nonce");
        var (_, firstLink) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var (secondId, secondLink) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var first = await AnswerAsync(person.Id, firstLink);
        var second = await AnswerAsync(person.Id, secondLink);
        second[HostedWalletAttestation.Parameter] = first[HostedWalletAttestation.Parameter];

        var (status, code) = await PostAsync(second);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("attestation_nonce_mismatch", code);
        Assert.Equal("open", await RequestStateAsync(secondId));
    }

    [Fact]
    public async Task An_attestation_signed_by_an_organisation_not_party_to_the_agreement_is_refused()
    {
        var person = await HostedAsync("Otto", "Outsider");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var form = await AnswerAsync(person.Id, link);
        var original = JsonNode.Parse(Decode(form[HostedWalletAttestation.Parameter].Split('.')[1]))!.AsObject();
        var outsider = EcdsaJwsSigner.Generate();
        var row = await WalletRowAsync(person.Id);
        var forged = new HostedWalletAttestation(
            new Uri(site.ServiceUrl, "issuers/ZZZ").ToString(), person.Id.ToString(), original["aud"]!.GetValue<string>(), original["nonce"]!.GetValue<string>(),
            DateTimeOffset.UtcNow, HostedWalletKeys.PublicKeyOf(row), ConsentMethods.SignedIn, DateTimeOffset.UtcNow, null);
        form[HostedWalletAttestation.Parameter] = await forged.SignAsync(outsider, outsider.Reference, CancellationToken.None);

        var (status, code) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("attestation_untrusted_issuer", code);
        Assert.Equal("open", await RequestStateAsync(requestId));
    }

    [Fact]
    public async Task An_attestation_for_another_persons_hosted_wallet_is_refused()
    {
        var person = await HostedAsync("Mara", "Mismatch");
        var other = await HostedAsync("Milo", "Mismatch");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var form = await AnswerAsync(person.Id, link);
        form[HostedWalletAttestation.Parameter] = (await AnswerAsync(other.Id, link))[HostedWalletAttestation.Parameter];

        var (status, code) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("attestation_mismatch", code);
        Assert.Equal("open", await RequestStateAsync(requestId));
    }

    [Fact]
    public async Task A_replayed_hosted_wallet_answer_is_refused_and_the_first_decision_stands()
    {
        var person = await HostedAsync("Remy", "Replay");
        var (requestId, link) = await Scene.PresentationRequestAsync(site, Scene.AssistantRole);
        var form = await AnswerAsync(person.Id, link);

        var (first, _) = await PostAsync(form);
        var (second, code) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.BadRequest, second);
        Assert.Equal("request_already_answered", code);
        Assert.True((await Scene.DecisionAsync(site, requestId))["accepted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_request_link_that_is_not_one_is_refused_with_a_sentence_and_nothing_is_fetched()
    {
        var person = await HostedAsync("Lena", "Link");

        using var me = await site.ApiAsync(person.User);
        using var response = await me.PostAsJsonAsync("api/me/hosted-wallet/plan", new JsonObject { ["requestLink"] = "https://example.test/not-a-request" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("invalid_request_link", problem["code"]!.GetValue<string>());
    }

    private Task<StaffMember> HostedAsync(string givenName, string familyName) => HostedAsync(site, givenName, familyName);

    /// <summary>A healthcare assistant whose passport HR keeps in a hosted wallet, every credential in it.</summary>
    internal static async Task<StaffMember> HostedAsync(PassportSite site, string givenName, string familyName)
    {
        var person = await Scene.HealthcareAssistantAsync(site, givenName, familyName);
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        using (var created = await hr.PostAsync(new Uri($"api/staff/{person.Id}/hosted-wallet", UriKind.Relative), null))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var stored = await hr.PostAsJsonAsync($"api/staff/{person.Id}/hosted-wallet/credentials", new JsonObject()))
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        return person;
    }

    private static byte[] Decode(string part) => Base64UrlStrict.TryDecode(part, out var bytes) ? bytes : throw new FormatException(part);

    private async Task<HostedWalletRow> WalletRowAsync(Guid staffId)
    {
        await using var scope = site.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        return await db.Set<HostedWalletRow>().AsNoTracking().SingleAsync(w => w.StaffId == staffId);
    }

    /// <summary>The form the hosted wallet would post for the person (consent: signed in), built but not sent.</summary>
    private async Task<Dictionary<string, string>> AnswerAsync(Guid staffId, string link)
    {
        var wallet = await WalletRowAsync(staffId);
        await using var scope = site.Services.CreateAsyncScope();
        var presenter = scope.ServiceProvider.GetRequiredService<HostedWalletPresenter>();
        var plan = await presenter.PlanAsync(wallet, link, CancellationToken.None);
        return await presenter.AnswerAsync(wallet, plan, new HostedConsent(ConsentMethods.SignedIn, DateTimeOffset.UtcNow, null, "test"), CancellationToken.None);
    }

    private async Task<(HttpStatusCode Status, string? Code)> PostAsync(Dictionary<string, string> form)
    {
        using var client = new HttpClient { BaseAddress = site.ServiceUrl };
        using var content = new FormUrlEncodedContent(form);
        using var response = await client.PostAsync(new Uri($"verifiers/{Scene.HostOds}/responses", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        var code = text.Length > 0 && JsonNode.Parse(text) is JsonObject body && body["code"] is JsonValue v ? v.GetValue<string>() : null;
        return (response.StatusCode, code);
    }

    private async Task<string> RequestStateAsync(Guid requestId) =>
        (await GetAsync(TestUser.VerifierAtRxh, $"api/presentation-requests/{requestId}"))["state"]!.GetValue<string>();

    private async Task<JsonObject> GetAsync(TestUser user, string path)
    {
        using var client = await site.ApiAsync(user);
        return (await client.GetFromJsonAsync<JsonObject>(new Uri(path, UriKind.Relative)))!;
    }

    private async Task<(Guid Id, string Link)> RequestUnderAgreementWithoutHostedWalletsAsync()
    {
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        var catalogue = await hr.GetFromJsonAsync<JsonArray>(new Uri("api/catalogue", UriKind.Relative)) ?? [];
        var vcts = catalogue.OfType<JsonObject>().ToDictionary(t => t["type"]!.GetValue<string>(), t => t["vct"]!.GetValue<string>(), StringComparer.Ordinal);
        var document = DemoAgreement.Json(vcts, Scene.Today);
        document["title"] = $"Wallet apps only {Random.Shared.Next(1000, 9999)}";
        foreach (var role in document["roles"]!.AsArray())
            role!["acceptsHostedWallet"] = false;
        using var admin = await site.ApiAsync(TestUser.AdminAtRxh);
        using var created = await admin.PostAsJsonAsync("api/agreements", document);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var agreementId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        using var request = await verifier.PostAsJsonAsync("api/presentation-requests", new JsonObject
        {
            ["agreementId"] = agreementId, ["role"] = Scene.AssistantRole,
            ["start"] = FirstRun.Day(Scene.Today.AddDays(1)), ["end"] = FirstRun.Day(Scene.Today.AddDays(10)),
        });
        var body = (await request.Content.ReadFromJsonAsync<JsonObject>())!;
        return (Guid.Parse(body["id"]!.GetValue<string>()), body["deepLink"]!.GetValue<string>());
    }
}
