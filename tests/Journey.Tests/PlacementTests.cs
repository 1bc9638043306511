using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.Issuer.Data;
using Passport.Messaging;
using Passport.ServiceDefaults;

namespace Passport.Journey.Tests;

/// <summary>
/// The host's placement credential (licence to attend) across both services, on real PostgreSQL and RabbitMQ: a deployment
/// starts, the host's Issuer offers the visitor a credential bound to the key they presented with, and it follows the
/// deployment: re-issued when extended, withdrawn when ended early or cancelled.
/// </summary>
public sealed class PlacementTests(TwoServices services) : IClassFixture<TwoServices>
{
    private const string Site = "Emergency Department, Royal Sussex County Hospital";

    private static Uri Url(string path) => new(path, UriKind.Relative);

    private static string NewOds(string prefix) => prefix + RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(CultureInfo.InvariantCulture);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string Vct(string type) => $"{services.Issuer.PublicBaseUrl}vct/{type}";

    [Fact]
    public async Task A_started_deployment_offers_a_placement_credential_that_only_the_presenting_wallet_can_collect()
    {
        var d = await DeployAsync(start: Today.AddDays(1));

        var placement = await OfferedPlacementAsync(d);
        Assert.Equal(d.Home, placement["homeOdsCode"]!.GetValue<string>());
        Assert.Equal(d.StaffId, placement["homeStaffId"]!.GetValue<Guid>());
        Assert.Equal("offered", placement["state"]!.GetValue<string>());
        var offer = placement["offer"]!;

        // Someone else's wallet, given the link and the code, gets a token but not the credential.
        using var http = services.Issuer.Anonymous();
        var accessToken = await RedeemAsync(http, offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
        var stranger = EcdsaJwsSigner.Generate("stranger");
        var (refusedStatus, refused) = await RequestCredentialAsync(http, d.Host, accessToken, stranger);
        Assert.Equal(HttpStatusCode.BadRequest, refusedStatus);
        Assert.Equal("invalid_proof", refused["error"]!.GetValue<string>());

        // The wallet that presented to the host collects it with the same token.
        var (status, body) = await RequestCredentialAsync(http, d.Host, accessToken, d.Wallet.Key);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.True(HeldCredential.TryParse(body["credentials"]![0]!["credential"]!.GetValue<string>(), out var credential, out var error), error?.ToString());
        Assert.Equal(Vct("placement"), credential.Vct);
        Assert.Equal($"{services.Issuer.PublicBaseUrl}issuers/{d.Host}", credential.Issuer);
        Assert.True(EcPublicJwk.TryParse(credential.Jwt.Payload["cnf"]!["jwk"], out var bound, out _));
        Assert.Equal(d.Wallet.Key.PublicJwk.Thumbprint(), bound.Thumbprint());
        Assert.NotEqual(d.StaffId.ToString(), credential.Jwt.Payload["sub"]!.GetValue<string>());
        Assert.Equal(d.Host, credential.Claims["host_ods_code"]!.GetValue<string>());
        Assert.Equal(Site, credential.Claims["department"]!.GetValue<string>());
        Assert.Equal(Iso(d.Start), credential.Claims["start_date"]!.GetValue<string>());
        Assert.Equal(Iso(d.End), credential.Claims["end_date"]!.GetValue<string>());
        Assert.Equal(d.AgreementId.ToString(), credential.Claims["agreement"]!.GetValue<string>());
        Assert.Equal(d.Home, credential.Claims["home_ods_code"]!.GetValue<string>());
        Assert.Contains("may attend", credential.Claims["licence_to_attend"]!.GetValue<string>(), StringComparison.Ordinal);

        // Verifiable: the host's own Verifier checks its signature, the holder binding and its status, and accepts it.
        var decision = await CheckPlacementAsync(d, credential);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());

        var collected = await services.Issuer.As(d.Host, PassportRoles.Verifier).GetFromJsonAsync<JsonObject>(Url($"/api/placements/{d.DeploymentId}"));
        Assert.Equal("collected", collected!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ending_a_deployment_early_withdraws_the_placement_credential_with_the_reason_in_words()
    {
        var d = await DeployAsync(start: Today);
        var placement = await OfferedPlacementAsync(d);
        var credential = await CollectAsync(d, placement);

        await Ok(await d.Verifier.PostAsync(Url($"/api/deployments/{d.DeploymentId}/end"), null), HttpStatusCode.OK);

        var withdrawn = await PlacementInStateAsync(d, "withdrawn");
        Assert.Contains("ended early", withdrawn["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(withdrawn["offer"]);
        await AssertWithdrawnOnStatusListAsync(credential);
    }

    [Fact]
    public async Task Cancelling_a_deployment_before_its_first_day_withdraws_the_placement_credential()
    {
        var d = await DeployAsync(start: Today.AddDays(3));
        var placement = await OfferedPlacementAsync(d);
        var credential = await CollectAsync(d, placement);

        await Ok(await d.Verifier.PostAsync(Url($"/api/deployments/{d.DeploymentId}/end"), null), HttpStatusCode.OK);

        var withdrawn = await PlacementInStateAsync(d, "withdrawn");
        Assert.Contains("cancelled", withdrawn["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertWithdrawnOnStatusListAsync(credential);
    }

    [Fact]
    public async Task Extending_a_deployment_reissues_the_placement_credential_to_the_new_end_and_withdraws_the_old_one()
    {
        var d = await DeployAsync(start: Today);
        var first = await OfferedPlacementAsync(d);
        var old = await CollectAsync(d, first);
        var newEnd = d.End.AddDays(14);

        await Ok(await d.Verifier.PostAsJsonAsync(Url($"/api/deployments/{d.DeploymentId}/extend"), new { newEnd }), HttpStatusCode.OK);

        var extended = await Eventually(async () =>
        {
            var p = await services.Issuer.As(d.Host, PassportRoles.Verifier).GetFromJsonAsync<JsonObject>(Url($"/api/placements/{d.DeploymentId}"));
            return p!["end"]!.GetValue<string>() == Iso(newEnd) ? p : null;
        }, "the placement credential to be re-issued");
        Assert.Equal("offered", extended["state"]!.GetValue<string>());
        Assert.NotEqual(first["credentialId"]!.GetValue<Guid>(), extended["credentialId"]!.GetValue<Guid>());
        var renewed = await CollectAsync(d, extended);
        Assert.Equal(Iso(newEnd), renewed.Claims["end_date"]!.GetValue<string>());
        await AssertWithdrawnOnStatusListAsync(old);
        Assert.True((await CheckPlacementAsync(d, renewed))["accepted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_redelivered_or_repeated_deployment_start_issues_one_placement_credential()
    {
        var host = NewOds("P");
        await Ok(await services.Issuer.As(host, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Host Trust {host}" }), HttpStatusCode.Created);
        var started = new DeploymentStarted
        {
            DeploymentId = Guid.NewGuid(), HostOdsCode = host, HomeOdsCode = NewOds("H"), StaffId = Guid.NewGuid(), Start = Today, End = Today.AddDays(10),
            DecisionId = Guid.NewGuid(), AgreementId = Guid.NewGuid(), HostSite = Site, HolderKeyThumbprint = EcdsaJwsSigner.Generate("k").PublicJwk.Thumbprint(),
        };
        var bus = services.Issuer.Services.GetRequiredService<IBus>();
        var (first, again) = (Guid.NewGuid(), Guid.NewGuid());
        await bus.Publish(started, c => c.MessageId = first);
        await bus.Publish(started, c => c.MessageId = first);
        await bus.Publish(started, c => c.MessageId = again);

        await Eventually(async () =>
        {
            await using var scope = services.Issuer.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            return await db.Set<InboxMessage>().CountAsync(m => (m.MessageId == first || m.MessageId == again) && m.Consumer == "DeploymentStartedPlacementConsumer") == 2
                ? true : (bool?)null;
        }, "both start events to be consumed");
        await using (var scope = services.Issuer.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            Assert.Equal(1, await db.Credentials.CountAsync(c => c.OdsCode == host && c.Type == "placement"));
            Assert.Equal(1, await db.Offers.CountAsync(o => o.OdsCode == host));
        }
        var placements = await services.Issuer.As(host, PassportRoles.Verifier).GetFromJsonAsync<JsonArray>(Url("/api/placements"));
        Assert.Single(placements!);
    }

    [Fact]
    public async Task The_visitor_and_their_home_HR_see_the_placement_and_its_offer_and_nobody_else_does()
    {
        var d = await DeployAsync(start: Today.AddDays(1));
        await OfferedPlacementAsync(d);
        var subject = $"idp|{Guid.NewGuid():N}";
        var hr = services.Issuer.As(d.Home, PassportRoles.HrIssuer);
        var code = await Ok(await hr.PostAsync(Url($"/api/staff/{d.StaffId}/enrolment-code"), null), HttpStatusCode.Created);
        using var me = services.Issuer.Anonymous();
        me.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", services.Tokens.Mint(d.Home, [PassportRoles.Staff], subject: subject));
        await Ok(await me.PostAsJsonAsync(Url("/api/me/enrolment"), new { code = code["code"]!.GetValue<string>() }), HttpStatusCode.OK);

        var mine = await me.GetFromJsonAsync<JsonArray>(Url("/api/me/placements"));
        var placement = Assert.Single(mine!)!;
        Assert.Equal(d.DeploymentId, placement["deploymentId"]!.GetValue<Guid>());
        Assert.Equal($"Host Trust {d.Host}", placement["hostName"]!.GetValue<string>());
        Assert.NotNull(placement["offer"]!["txCode"]);

        var seenByHr = await hr.GetFromJsonAsync<JsonArray>(Url($"/api/staff/{d.StaffId}/placements"));
        Assert.Equal(d.DeploymentId, Assert.Single(seenByHr!)!["deploymentId"]!.GetValue<Guid>());
        using var otherHr = await services.Issuer.As(d.Host, PassportRoles.HrIssuer).GetAsync(Url($"/api/staff/{d.StaffId}/placements"));
        Assert.Equal(HttpStatusCode.NotFound, otherHr.StatusCode);
    }

    private sealed record Deployed(
        string Home, string Host, Guid StaffId, Guid AgreementId, Guid DeploymentId, DateOnly Start, DateOnly End, Wallet Wallet, HttpClient Verifier);

    /// <summary>HR issues a nurse's DBS check; their wallet collects it and presents it to the host, which deploys them.</summary>
    private async Task<Deployed> DeployAsync(DateOnly start)
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await Ok(await services.Issuer.As(home, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Home Trust {home}" }), HttpStatusCode.Created);
        await Ok(await services.Issuer.As(host, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Host Trust {host}" }), HttpStatusCode.Created);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        var staff = await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
        {
            givenName = "Amara", familyName = "Okafor", dateOfBirth = "1990-04-01", assignmentNumber = $"A-{Guid.NewGuid():N}"[..14],
            staffGroup = "Nursing and Midwifery Registered", jobTitle = "Staff Nurse",
        }), HttpStatusCode.Created);
        var staffId = staff["id"]!.GetValue<Guid>();
        await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
        {
            type = "dbs", sourceReference = $"DBS-{Guid.NewGuid():N}",
            claims = new { level = "enhanced", barred_list_adults = true, barred_list_children = true, certificate_number = "001234567890", issued_on = Iso(Today.AddDays(-100)) },
        }), HttpStatusCode.Created);
        var offer = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { }), HttpStatusCode.Created);
        var wallet = new Wallet(services.Issuer.Anonymous());
        var held = Assert.Single(await wallet.ReceiveAsync(offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>()));

        var agreementId = await AgreeAsync(host, home, "registered_nurse", new JsonObject
        {
            ["id"] = "dbs", ["vct"] = Vct("dbs"),
            ["conditions"] = new JsonArray(new JsonObject { ["claim"] = new JsonArray("level"), ["equals"] = "enhanced" }),
        });
        var verifier = services.Verifier.As(host, PassportRoles.Verifier);
        var end = start.AddDays(20);
        var decision = await VerifyAsync(verifier, host, agreementId, "registered_nurse", start, end,
            wallet, held, [ClaimPath.Of("level"), ClaimPath.Of("given_name"), ClaimPath.Of("family_name")]);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        var deployment = await Ok(await verifier.PostAsJsonAsync(Url("/api/deployments"), new
        {
            decisionId = decision["id"]!.GetValue<Guid>(), homeOdsCode = home, staffId, hostSite = Site, start, end,
        }), HttpStatusCode.Created);
        Assert.Equal("active", deployment["state"]!.GetValue<string>());
        return new Deployed(home, host, staffId, agreementId, deployment["id"]!.GetValue<Guid>(), start, end, wallet, verifier);
    }

    private async Task<Guid> AgreeAsync(string host, string home, string role, JsonObject requirement)
    {
        var agreement = await Ok(await services.Verifier.As(host, PassportRoles.OrganisationAdmin).PostAsJsonAsync(Url("/api/agreements"), new JsonObject
        {
            ["title"] = $"{role} {host}-{home} {Guid.NewGuid():N}",
            ["parties"] = new JsonArray(host, home),
            ["startsOn"] = Iso(Today.AddDays(-365)),
            ["endsOn"] = Iso(Today.AddDays(365)),
            ["staffGroups"] = new JsonArray("Nursing and Midwifery Registered"),
            ["maxDeploymentDays"] = 90,
            ["homeApprovalRequired"] = false,
            ["roles"] = new JsonArray(new JsonObject { ["role"] = role, ["requirements"] = new JsonArray(requirement) }),
        }), HttpStatusCode.Created);
        return agreement["id"]!.GetValue<Guid>();
    }

    private static async Task<JsonObject> VerifyAsync(
        HttpClient verifier, string host, Guid agreementId, string role, DateOnly start, DateOnly end, Wallet wallet, HeldCredential held, ClaimPath[] claims)
    {
        var nonce = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));
        var audience = $"{VerifierHost.PublicBaseUrl}verifiers/{host}";
        var disclosed = claims.Where(c => held.Disclosures.Any(d => Equals(Wallet.PathOf(held, d)[0], c.Segments[0]))).ToArray();
        string[] presentations = [await wallet.PresentAsync(held, disclosed, audience, nonce)];
        return await Ok(await verifier.PostAsJsonAsync(Url("/api/verify"), new { presentations, nonce, audience, agreementId, role, start, end }), HttpStatusCode.Created);
    }

    /// <summary>The host checks a placement credential at the door with its own Verifier, under an agreement that asks for it.</summary>
    private async Task<JsonObject> CheckPlacementAsync(Deployed d, HeldCredential placement)
    {
        var agreementId = await AgreeAsync(d.Host, d.Home, "visitor", new JsonObject
        {
            ["id"] = "placement", ["vct"] = Vct("placement"),
            ["conditions"] = new JsonArray(new JsonObject { ["claim"] = new JsonArray("department"), ["equals"] = Site }),
        });
        return await VerifyAsync(d.Verifier, d.Host, agreementId, "visitor", d.Start, d.Start, d.Wallet, placement, [ClaimPath.Of("department")]);
    }

    private async Task AssertWithdrawnOnStatusListAsync(HeldCredential credential)
    {
        var status = credential.Jwt.Payload["status"]!["status_list"]!;
        var (uri, index) = (status["uri"]!.GetValue<string>(), status["idx"]!.GetValue<int>());
        using var http = services.Issuer.Anonymous();
        Assert.True(CompactJws.TryParse(await http.GetStringAsync(new Uri(uri)), out var token, out _, "status list token"));
        var list = token.Payload["status_list"]!;
        Assert.Equal(2, list["bits"]!.GetValue<int>());
        Assert.True(Base64UrlStrict.TryDecode(list["lst"]!.GetValue<string>(), out var compressed));
        var packed = Inflate(compressed);
        // Token Status List §4.1: two bits per entry, least significant first; 0x01 is invalid.
        Assert.Equal(1, (packed[index / 4] >> (index % 4 * 2)) & 0b11);
    }

    private static byte[] Inflate(byte[] compressed)
    {
        using var input = new MemoryStream(compressed);
        using var zlib = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }

    private async Task<JsonObject> OfferedPlacementAsync(Deployed d) => await Eventually(async () =>
    {
        var response = await services.Issuer.As(d.Host, PassportRoles.Verifier).GetAsync(Url($"/api/placements/{d.DeploymentId}"));
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        var p = await Ok(response, HttpStatusCode.OK);
        return p["offer"] is JsonObject ? p : null;
    }, "the host to offer the placement credential");

    private async Task<JsonObject> PlacementInStateAsync(Deployed d, string state) => await Eventually(async () =>
    {
        var p = await services.Issuer.As(d.Host, PassportRoles.Verifier).GetFromJsonAsync<JsonObject>(Url($"/api/placements/{d.DeploymentId}"));
        return p!["state"]!.GetValue<string>() == state ? p : null;
    }, $"the placement credential to be {state}");

    private async Task<HeldCredential> CollectAsync(Deployed d, JsonObject placement)
    {
        using var http = services.Issuer.Anonymous();
        var offer = placement["offer"]!;
        var accessToken = await RedeemAsync(http, offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
        var (status, body) = await RequestCredentialAsync(http, d.Host, accessToken, d.Wallet.Key);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        Assert.True(HeldCredential.TryParse(body["credentials"]![0]!["credential"]!.GetValue<string>(), out var credential, out var error), error?.ToString());
        return credential;
    }

    private static async Task<string> RedeemAsync(HttpClient http, string offerUri, string txCode)
    {
        const string prefix = "openid-credential-offer://?credential_offer_uri=";
        var offer = JsonNode.Parse(await http.GetStringAsync(new Uri(Uri.UnescapeDataString(offerUri[prefix.Length..]))))!.AsObject();
        Assert.Equal(["placement"], offer["credential_configuration_ids"]!.AsArray().Select(c => c!.GetValue<string>()));
        var issuer = offer["credential_issuer"]!.GetValue<string>();
        using var token = await http.PostAsync(new Uri($"{issuer}/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            ["pre-authorized_code"] = offer["grants"]!["urn:ietf:params:oauth:grant-type:pre-authorized_code"]!["pre-authorized_code"]!.GetValue<string>(),
            ["tx_code"] = txCode,
        }));
        var body = (await token.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(token.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["access_token"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> RequestCredentialAsync(HttpClient http, string host, string accessToken, EcdsaJwsSigner key)
    {
        var issuer = $"{services.Issuer.PublicBaseUrl}issuers/{host}";
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
                ["credential_configuration_id"] = "placement",
                ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proof) },
            }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static async Task<JsonObject> Ok(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : (JsonObject)JsonNode.Parse(body)!;
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> attempt, string what) where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await attempt() is { } result)
                return result;
            await Task.Delay(100);
        }
        Assert.Fail($"Waited 30 s for {what}.");
        return null!;
    }

    private static async Task Eventually(Func<Task<bool?>> attempt, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await attempt() == true)
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"Waited 30 s for {what}.");
    }
}
