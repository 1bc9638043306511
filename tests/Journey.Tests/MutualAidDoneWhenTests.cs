using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Data;
using Passport.Issuer.HostedWallet;
using Passport.Issuer.Placements;
using Passport.ServiceDefaults;
using Passport.Testing;
using static Passport.Journey.Tests.MutualAid;

namespace Passport.Journey.Tests;

/// <summary>Both services with the Issuer's notifications pointed at a real SMTP server run by the test.</summary>
public sealed class MailingServices : IAsyncLifetime
{
    public TestSmtpServer Smtp { get; } = new();
    public TwoServices Services { get; } = new();

    public async Task InitializeAsync()
    {
        foreach (var (key, value) in Smtp.Settings)
            Services.Overrides[key] = value;
        await Services.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// Issue #12's "Done when", on PostgreSQL and RabbitMQ: a 50-person mutual-aid request with declines, people who consent and
/// present from their own wallet, and people without a smartphone whose consent HR takes by phone and who present through the
/// home organisation's hosted wallet; each consent request reaches the SMTP server once; the host starts everyone accepted,
/// each started deployment is offered a placement credential bound to the presenting key, and ending one early withdraws it.
/// </summary>
public sealed class MutualAidDoneWhenTests(MailingServices mailing) : IClassFixture<MailingServices>
{
    private const string ConsentSubject = "You are asked to work at another organisation";
    private const string Site = "Acute Medical Unit, Host General";
    private readonly TwoServices _services = mailing.Services;
    private readonly MutualAid _aid = new(mailing.Services);

    private sealed record Member(int Index, Guid StaffId, string? Email, AidPerson? Person, string? HostedThumbprint);

    [Fact]
    public async Task Fifty_people_with_declines_own_wallets_and_hosted_wallets_are_asked_once_by_email_deployed_and_given_placements_that_are_withdrawn_when_ended()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        await Ok(await _services.Issuer.As(host, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Host Trust {host}" }), HttpStatusCode.Created);
        var agreementId = await _aid.HostAgreesAsync(host, home);
        var hr = _services.Issuer.As(home, PassportRoles.HrIssuer);

        // 0-9 decline, 10-39 consent and present from their own wallet (every tenth of them without an enhanced DBS check),
        // 40-49 have no smartphone: a hosted wallet, consent by phone, HR presents. Every seventh person has no e-mail address.
        var people = new List<Member>();
        for (var i = 0; i < 50; i++)
        {
            var email = i % 7 == 3 ? null : $"aid{i}.{Guid.NewGuid():N}@staff.test";
            people.Add(i < 40 ? await WalletPersonAsync(home, i, email, enhancedDbs: i < 10 || i % 10 != 9) : await HostedPersonAsync(hr, i, email));
        }
        try
        {
            var request = await _aid.RaiseAsync(home, host, agreementId, new { staffIds = people.Select(p => p.StaffId).ToArray() });
            var requestId = request["id"]!.GetValue<Guid>();
            var members = MemberIds(request);
            Assert.Equal(50, members.Count);

            var decliners = people.Take(10).ToList();
            var ownWallet = people.Skip(10).Take(30).ToList();
            var hosted = people.Skip(40).ToList();
            foreach (var p in decliners)
                await Ok(await _aid.Staff(home, p.Person!).PostAsync(Url($"/api/me/mutual-aid/{members[p.StaffId]}/decline"), null), HttpStatusCode.OK);
            foreach (var p in ownWallet)
                await Ok(await _aid.Staff(home, p.Person!).PostAsync(Url($"/api/me/mutual-aid/{members[p.StaffId]}/consent"), null), HttpStatusCode.OK);
            var consentGivenAt = DateTimeOffset.UtcNow.AddMinutes(-5);
            foreach (var p in hosted)
            {
                await Ok(await hr.PostAsJsonAsync(Url($"/api/mutual-aid-requests/{requestId}/members/{members[p.StaffId]}/answer"),
                    new { answer = "consent", method = "phone", note = "Rang the ward" }), HttpStatusCode.OK);
            }

            foreach (var p in ownWallet)
                await _aid.PresentAsync(p.Person!.Wallet, p.Person.Held, await _aid.WalletLinkAsync(home, p.Person, members[p.StaffId]));

            // HR presents from each hosted wallet to the host's request for that member, naming the consent taken by phone.
            var verifier = _services.Verifier.As(host, PassportRoles.Verifier);
            foreach (var p in hosted)
            {
                JsonObject asked = [];
                await Eventually(async () =>
                {
                    var response = await verifier.PostAsync(Url($"/api/mutual-aid/members/{members[p.StaffId]}/presentation-request"), null);
                    if (response.StatusCode == HttpStatusCode.NotFound)
                        return false;
                    asked = await Ok(response, response.StatusCode == HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK);
                    return true;
                }, "the consent given by phone to reach the host");
                await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{p.StaffId}/hosted-wallet/presentations"), new JsonObject
                {
                    ["requestLink"] = asked["deepLink"]!.GetValue<string>(), ["consentMethod"] = "phone", ["consentGivenAt"] = consentGivenAt.ToString("O"),
                }), HttpStatusCode.Created);
                var decision = await Ok(await verifier.GetAsync(Url($"/api/presentation-requests/{asked["id"]}/decision")), HttpStatusCode.OK);
                Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
                Assert.Equal("hosted_wallet", decision["route"]!.GetValue<string>());
                Assert.Equal("phone", decision["hostedWallet"]!["consentMethod"]!.GetValue<string>());
                Assert.Equal(consentGivenAt.ToUnixTimeSeconds(), decision["hostedWallet"]!["consentGivenAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
                Assert.False(string.IsNullOrEmpty(decision["hostedWallet"]!["consentRecordedBy"]?.GetValue<string>()));
            }

            var rejected = ownWallet.Where(p => p.Index % 10 == 9).Select(p => p.StaffId).ToHashSet();
            var accepted = ownWallet.Concat(hosted).Where(p => !rejected.Contains(p.StaffId)).ToList();
            JsonObject view = [];
            await Eventually(async () =>
            {
                view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{requestId}")), HttpStatusCode.OK);
                return view["counts"]!["accepted"]!.GetValue<int>() + view["counts"]!["notAccepted"]!.GetValue<int>() == 40;
            }, "every consenting person's decision to reach home");
            Assert.Equal(10, view["counts"]!["declined"]!.GetValue<int>());
            Assert.Equal(accepted.Count, view["counts"]!["accepted"]!.GetValue<int>());

            // The host starts every accepted deployment in one action.
            await Ok(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = Site }), HttpStatusCode.Accepted);
            JsonObject hostView = [];
            await Eventually(async () =>
            {
                hostView = await Ok(await verifier.GetAsync(Url($"/api/mutual-aid/{requestId}")), HttpStatusCode.OK);
                return hostView["members"]!.AsArray().Count(m => m!["state"]!.GetValue<string>() == "deployed") == accepted.Count;
            }, "every accepted person to be deployed", seconds: 60);
            var deployments = hostView["members"]!.AsArray().Where(m => m!["state"]!.GetValue<string>() == "deployed")
                .ToDictionary(m => m!["staffId"]!.GetValue<Guid>(), m => m!["deploymentId"]!.GetValue<Guid>());
            Assert.Equal(accepted.Select(p => p.StaffId).Order(), deployments.Keys.Order());

            // Each started deployment is offered a placement credential, bound to the key the person presented with.
            var hostIssuer = _services.Issuer.As(host, PassportRoles.Verifier);
            await Eventually(async () =>
            {
                var placements = await Ok(await hostIssuer.GetAsync(Url("/api/placements")), HttpStatusCode.OK);
                return placements["items"]!.AsArray().Count(p => p!["offer"] is JsonObject) == accepted.Count;
            }, "a placement credential offer for every started deployment", seconds: 60);
            await using (var scope = _services.Issuer.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
                var bound = await db.Set<Placement>().AsNoTracking().Where(p => p.HostOdsCode == host).ToDictionaryAsync(p => p.DeploymentId, p => p.HolderKeyThumbprint);
                foreach (var p in accepted)
                {
                    var expected = p.HostedThumbprint ?? p.Person!.Wallet.Key.PublicJwk.Thumbprint();
                    Assert.Equal(expected, bound[deployments[p.StaffId]]);
                }
            }

            // One own-wallet person collects theirs; home HR collects one hosted-wallet person's into their hosted wallet.
            var collector = accepted.First(p => p.Person is not null);
            var placement = await Ok(await hostIssuer.GetAsync(Url($"/api/placements/{deployments[collector.StaffId]}")), HttpStatusCode.OK);
            var credential = await CollectAsync(host, placement, collector.Person!.Wallet.Key);
            Assert.Equal(host, credential.Claims["host_ods_code"]!.GetValue<string>());
            Assert.Equal(Site, credential.Claims["department"]!.GetValue<string>());
            var hostedOne = accepted.First(p => p.HostedThumbprint is not null);
            var hostedPlacement = await Ok(await hostIssuer.GetAsync(Url($"/api/placements/{deployments[hostedOne.StaffId]}")), HttpStatusCode.OK);
            Assert.Equal("offered", hostedPlacement["state"]!.GetValue<string>());
            Assert.Equal(hostedOne.StaffId, hostedPlacement["homeStaffId"]!.GetValue<Guid>());
            var collectUrl = Url($"/api/staff/{hostedOne.StaffId}/hosted-wallet/placements/{deployments[hostedOne.StaffId]}");
            var hostHr = _services.Issuer.As(host, PassportRoles.HrIssuer);
            await Problem(await hostHr.PostAsync(collectUrl, null), HttpStatusCode.NotFound, "hosted_wallet_not_found");
            var hostedWallet = await Ok(await hr.PostAsync(collectUrl, null), HttpStatusCode.OK);
            var placementId = hostedPlacement["credentialId"]!.GetValue<Guid>();
            Assert.Contains(hostedWallet["credentials"]!.AsArray(), c => c!["credentialId"]!.GetValue<Guid>() == placementId && c["status"]!.GetValue<string>() == "active");
            await Problem(await hr.PostAsync(collectUrl, null), HttpStatusCode.Conflict, "placement_already_collected");
            await Eventually(async () =>
            {
                var p = await Ok(await hostIssuer.GetAsync(Url($"/api/placements/{deployments[hostedOne.StaffId]}")), HttpStatusCode.OK);
                return p["state"]!.GetValue<string>() == "accepted";
            }, "the host to hear the hosted wallet accepted the placement credential");
            await using (var scope = _services.Issuer.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
                var kept = await db.Set<HostedCredential>().AsNoTracking().SingleAsync(h => h.CredentialId == placementId);
                Assert.True(HeldCredential.TryParse(kept.SdJwt, out var hostedCredential, out var parseError), parseError?.ToString());
                Assert.Equal(host, hostedCredential.Claims["host_ods_code"]!.GetValue<string>());
                Assert.True(EcPublicJwk.TryParse(hostedCredential.Jwt.Payload["cnf"]!["jwk"], out var cnf, out _));
                Assert.Equal(hostedOne.HostedThumbprint, cnf.Thumbprint());
                await AssertOnStatusListAsync(hostedCredential, 0);
                Assert.True(await db.Audit.AnyAsync(a => a.CredentialId == placementId && a.Action == "hosted_placement_collected"));
            }

            // Ending one deployment early (before its first day, so a cancellation) withdraws its placement credential.
            await Ok(await verifier.PostAsync(Url($"/api/deployments/{deployments[collector.StaffId]}/end"), null), HttpStatusCode.OK);
            await Eventually(async () =>
            {
                var p = await Ok(await hostIssuer.GetAsync(Url($"/api/placements/{deployments[collector.StaffId]}")), HttpStatusCode.OK);
                return p["state"]!.GetValue<string>() == "withdrawn";
            }, "the placement credential to be withdrawn");
            await AssertOnStatusListAsync(credential, 1);
            var others = await Ok(await hostIssuer.GetAsync(Url("/api/placements")), HttpStatusCode.OK);
            Assert.Equal(1, others["items"]!.AsArray().Count(p => p!["state"]!.GetValue<string>() == "withdrawn"));

            // Every person with an address got the consent request exactly once; nobody else did.
            var addressed = people.Where(p => p.Email is not null).ToList();
            foreach (var p in addressed)
                await mailing.Smtp.WaitForAsync(p.Email!, 1);
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var p in addressed)
                Assert.Single(mailing.Smtp.To(p.Email!), m => m.Subject == ConsentSubject);
            Assert.Equal(addressed.Count, mailing.Smtp.Received.Count(m => m.Subject == ConsentSubject));
            Assert.All(mailing.Smtp.Received.Where(m => m.Subject == ConsentSubject), m => Assert.DoesNotContain("DBS", m.TextBody, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            foreach (var p in people)
                p.Person?.Dispose();
        }
    }

    private static async Task<Guid> StaffAsync(HttpClient hr, int index, string? email, string? subject, bool enhancedDbs)
    {
        var staff = await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
        {
            givenName = "Amara", familyName = $"Okafor-{index}", dateOfBirth = "1990-04-01", assignmentNumber = $"A-{Guid.NewGuid():N}"[..14],
            staffGroup = StaffGroup, jobTitle = "Staff Nurse", subject, email,
        }), HttpStatusCode.Created);
        var staffId = staff["id"]!.GetValue<Guid>();
        await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
        {
            type = "dbs", sourceReference = $"DBS-{Guid.NewGuid():N}",
            claims = enhancedDbs
                ? (object)new { level = "enhanced", barred_list_adults = true, barred_list_children = true, certificate_number = "001234567890", issued_on = Day(-100) }
                : new { level = "standard", certificate_number = "001234567890", issued_on = Day(-100) },
        }), HttpStatusCode.Created);
        await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
        {
            type = "training", sourceReference = $"OLM-{Guid.NewGuid():N}",
            claims = new { subject = "fire_safety", level = "1", completed_on = Day(-30), provider = "Trust Learning" },
        }), HttpStatusCode.Created);
        return staffId;
    }

    private async Task<Member> WalletPersonAsync(string home, int index, string? email, bool enhancedDbs)
    {
        var hr = _services.Issuer.As(home, PassportRoles.HrIssuer);
        var subject = $"user-{Guid.NewGuid():N}";
        var staffId = await StaffAsync(hr, index, email, subject, enhancedDbs);
        var offer = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { }), HttpStatusCode.Created);
        var wallet = new Wallet(_services.Issuer.Anonymous());
        var held = await wallet.ReceiveAsync(offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
        return new Member(index, staffId, email, new AidPerson(staffId, subject, wallet, held), null);
    }

    /// <summary>No wallet app: HR opens a hosted wallet and issues every credential in force into it.</summary>
    private static async Task<Member> HostedPersonAsync(HttpClient hr, int index, string? email)
    {
        var staffId = await StaffAsync(hr, index, email, subject: null, enhancedDbs: true);
        var wallet = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/hosted-wallet"), new { }), HttpStatusCode.Created);
        var stored = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/hosted-wallet/credentials"), new JsonObject()), HttpStatusCode.OK);
        Assert.Equal(2, stored["credentials"]!.AsArray().Count);
        return new Member(index, staffId, email, null, wallet["holderKeyThumbprint"]!.GetValue<string>());
    }

    private async Task<HeldCredential> CollectAsync(string host, JsonObject placement, EcdsaJwsSigner key)
    {
        using var http = _services.Issuer.Anonymous();
        var offer = placement["offer"]!;
        const string prefix = "openid-credential-offer://?credential_offer_uri=";
        var offerUri = offer["offerUri"]!.GetValue<string>();
        var document = JsonNode.Parse(await http.GetStringAsync(new Uri(Uri.UnescapeDataString(offerUri[prefix.Length..]))))!.AsObject();
        var issuer = document["credential_issuer"]!.GetValue<string>();
        using var token = await http.PostAsync(new Uri($"{issuer}/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            ["pre-authorized_code"] = document["grants"]!["urn:ietf:params:oauth:grant-type:pre-authorized_code"]!["pre-authorized_code"]!.GetValue<string>(),
            ["tx_code"] = offer["txCode"]!.GetValue<string>(),
        }));
        var accessToken = (await Ok(token, HttpStatusCode.OK))["access_token"]!.GetValue<string>();
        Assert.Equal($"{_services.Issuer.PublicBaseUrl}issuers/{host}", issuer);
        using var nonceResponse = await http.PostAsync(new Uri($"{issuer}/nonce"), null);
        var nonce = (await nonceResponse.Content.ReadFromJsonAsync<JsonObject>())!["c_nonce"]!.GetValue<string>();
        var proof = await CompactJws.SignAsync(
            new JsonObject { ["typ"] = "openid4vci-proof+jwt", ["jwk"] = key.PublicJwk.ToJson(includeKid: false) },
            new JsonObject { ["aud"] = issuer, ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["nonce"] = nonce },
            key, key.Reference, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/credential"))
        {
            Content = new StringContent(new JsonObject
            {
                ["credential_configuration_id"] = "placement", ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proof) },
            }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var body = await Ok(await http.SendAsync(request), HttpStatusCode.OK);
        Assert.True(HeldCredential.TryParse(body["credentials"]![0]!["credential"]!.GetValue<string>(), out var credential, out var error), error?.ToString());
        return credential;
    }

    private static async Task Problem(HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            Assert.Equal(code, JsonNode.Parse(text)!["code"]!.GetValue<string>());
        }
    }

    private async Task AssertOnStatusListAsync(HeldCredential credential, int expected)
    {
        var status = credential.Jwt.Payload["status"]!["status_list"]!;
        var (uri, index) = (status["uri"]!.GetValue<string>(), status["idx"]!.GetValue<int>());
        using var http = _services.Issuer.Anonymous();
        Assert.True(CompactJws.TryParse(await http.GetStringAsync(new Uri(uri)), out var token, out _, "status list token"));
        Assert.True(Base64UrlStrict.TryDecode(token.Payload["status_list"]!["lst"]!.GetValue<string>(), out var compressed));
        using var input = new MemoryStream(compressed);
        using var zlib = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var packed = new MemoryStream();
        await zlib.CopyToAsync(packed);
        // Token Status List §4.1: two bits per entry, least significant first; 0x00 is valid, 0x01 invalid.
        Assert.Equal(expected, (packed.ToArray()[index / 4] >> (index % 4 * 2)) & 0b11);
    }
}
