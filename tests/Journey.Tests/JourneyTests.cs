using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.ServiceDefaults;

namespace Passport.Journey.Tests;

/// <summary>The journey on PostgreSQL, as in production.</summary>
public sealed class JourneyTests(TwoServices services) : JourneyTestsBase(services), IClassFixture<TwoServices>;

/// <summary>The same journey on the embedded default, SQLite, which a first run uses.</summary>
public sealed class JourneyOnSqliteTests(TwoServicesOnSqlite services) : JourneyTestsBase(services), IClassFixture<TwoServicesOnSqlite>;

/// <summary>
/// The journey of DESIGN.md across both services, over HTTP and RabbitMQ on the subclass's database: HR issues, the member of
/// staff's wallet receives through OpenID4VCI, the host verifies what its agreement needs, deploys, HR withdraws a
/// credential, and the deployment is flagged at the host and seen at home.
/// </summary>
public abstract class JourneyTestsBase(TwoServices services)
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    private static string NewOds(string prefix) => prefix + RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Day(int fromToday) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<JsonObject> Ok(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : (JsonObject)JsonNode.Parse(body)!;
    }

    /// <summary>HR at the home organisation registers it, records a nurse and issues a DBS check and fire safety training.</summary>
    private async Task<(Guid StaffId, Guid DbsId, Guid TrainingId)> HomeIssuesAsync(string home)
    {
        await Ok(await services.Issuer.As(home, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Home Trust {home}" }), HttpStatusCode.Created);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        var staff = await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
        {
            givenName = "Amara", familyName = "Okafor", dateOfBirth = "1990-04-01", assignmentNumber = $"A-{Guid.NewGuid():N}"[..14],
            staffGroup = "Nursing and Midwifery Registered", jobTitle = "Staff Nurse",
        }), HttpStatusCode.Created);
        var staffId = staff["id"]!.GetValue<Guid>();
        var dbs = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
        {
            type = "dbs", sourceReference = $"DBS-{Guid.NewGuid():N}",
            claims = new { level = "enhanced", barred_list_adults = true, barred_list_children = true, certificate_number = "001234567890", issued_on = Day(-100) },
        }), HttpStatusCode.Created);
        var training = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
        {
            type = "training", sourceReference = $"OLM-{Guid.NewGuid():N}",
            claims = new { subject = "fire_safety", level = "1", completed_on = Day(-30), provider = "Trust Learning" },
        }), HttpStatusCode.Created);
        return (staffId, dbs["id"]!.GetValue<Guid>(), training["id"]!.GetValue<Guid>());
    }

    /// <summary>The host records an agreement with the home organisation: a registered nurse needs an enhanced DBS and fire safety.</summary>
    private async Task<Guid> HostAgreesAsync(string host, string home)
    {
        string Vct(string type) => $"{services.Issuer.PublicBaseUrl}vct/{type}";
        var verifier = services.Verifier.As(host, PassportRoles.OrganisationAdmin);
        var agreement = await Ok(await verifier.PostAsJsonAsync(Url("/api/agreements"), new JsonObject
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
                ["requirements"] = new JsonArray(
                    new JsonObject
                    {
                        ["id"] = "dbs", ["vct"] = Vct("dbs"),
                        ["conditions"] = new JsonArray(
                            new JsonObject { ["claim"] = new JsonArray("level"), ["equals"] = "enhanced" },
                            new JsonObject { ["allTrue"] = new JsonArray(new JsonArray("barred_list_adults"), new JsonArray("barred_list_children")) },
                            new JsonObject { ["date"] = new JsonArray("issued_on"), ["within"] = "P3Y" }),
                    },
                    new JsonObject
                    {
                        ["id"] = "fire_safety", ["vct"] = Vct("training"),
                        ["conditions"] = new JsonArray(
                            new JsonObject { ["claim"] = new JsonArray("subject"), ["equals"] = "fire_safety" },
                            new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "start" }),
                    }),
            }),
        }), HttpStatusCode.Created);
        return agreement["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task Issue_receive_present_decide_deploy_withdraw_and_the_deployment_is_flagged()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        var (staffId, dbsId, trainingId) = await HomeIssuesAsync(home);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);

        // The member of staff's wallet receives both credentials through OpenID4VCI.
        var offer = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { }), HttpStatusCode.Created);
        using var wallet = new Wallet(services.Issuer.Anonymous());
        var held = await wallet.ReceiveAsync(offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
        Assert.Equal(2, held.Count);
        Assert.All(held, h => Assert.Equal(staffId.ToString(), h.Jwt.Payload["sub"]!.GetValue<string>()));

        // The host verifies only what its agreement needs for the role.
        var agreementId = await HostAgreesAsync(host, home);
        var verifier = services.Verifier.As(host, PassportRoles.Verifier);
        var nonce = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));
        var audience = $"{VerifierHost.PublicBaseUrl}verifiers/{host}";
        var presentations = new List<string>();
        foreach (var credential in held)
        {
            var needed = credential.Vct!.EndsWith("/dbs", StringComparison.Ordinal)
                ? new[] { ClaimPath.Of("level"), ClaimPath.Of("barred_list_adults"), ClaimPath.Of("barred_list_children"), ClaimPath.Of("issued_on") }
                : [ClaimPath.Of("subject"), ClaimPath.Of("expires_on")];
            presentations.Add(await wallet.PresentAsync(credential, needed, audience, nonce));
        }
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var end = start.AddDays(27);
        var decision = await Ok(await verifier.PostAsJsonAsync(Url("/api/verify"), new { presentations, nonce, audience, agreementId, role = "registered_nurse", start, end }), HttpStatusCode.Created);
        Assert.True(decision["accepted"]!.GetValue<bool>(), decision.ToJsonString());
        Assert.All(decision["requirements"]!.AsArray(), r => Assert.Equal("met", r!["outcome"]!.GetValue<string>()));
        Assert.Equal(staffId.ToString(), decision["subject"]!.GetValue<string>());
        var storedClaims = decision["requirements"]!.AsArray().SelectMany(r => r!["claims"]!.AsObject().Select(c => c.Key)).ToList();
        Assert.DoesNotContain("certificate_number", storedClaims);
        Assert.DoesNotContain("provider", storedClaims);

        // The host deploys the person; the home organisation sees where they are.
        var deployment = await Ok(await verifier.PostAsJsonAsync(Url("/api/deployments"), new
        {
            decisionId = decision["id"]!.GetValue<Guid>(), homeOdsCode = home, staffId, hostSite = "Royal Sussex County Hospital", start, end,
        }), HttpStatusCode.Created);
        var deploymentId = deployment["id"]!.GetValue<Guid>();
        Assert.Equal("active", deployment["state"]!.GetValue<string>());
        await Eventually(async () =>
        {
            var view = await hr.GetFromJsonAsync<JsonArray>(Url($"/api/staff/{staffId}/deployments"));
            return view!.Any(d => d!["id"]!.GetValue<Guid>() == deploymentId && d["state"]!.GetValue<string>() == "active");
        }, "the home organisation to see the deployment start");

        // HR withdraws the DBS check; the host's deployment is flagged, and the home organisation sees the flag.
        await Ok(await hr.PostAsJsonAsync(Url($"/api/credentials/{dbsId}/revoke"), new { reason = "no_longer_valid", note = "Barred list match" }), HttpStatusCode.OK);
        await Eventually(async () =>
        {
            var d = await verifier.GetFromJsonAsync<JsonObject>(Url($"/api/deployments/{deploymentId}"));
            return d!.ToJsonString().Contains("flag", StringComparison.OrdinalIgnoreCase) && d["flags"] is JsonArray { Count: > 0 };
        }, "the host's deployment to be flagged");
        await Eventually(async () =>
        {
            var view = await hr.GetFromJsonAsync<JsonArray>(Url($"/api/staff/{staffId}/deployments"));
            return view!.Any(d => d!["id"]!.GetValue<Guid>() == deploymentId && d["history"]!.AsArray().Any(h => h!["event"]!.GetValue<string>() == "flagged"));
        }, "the home organisation to see the flag");

        // Once the verifier's cached status list has outlived its ttl, a fresh presentation of the withdrawn DBS is decided as withdrawn.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var nonce2 = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));
        List<string> again = [.. await Task.WhenAll(held.Select(c => wallet.PresentAsync(c, c.Disclosures.Select(d => ClaimPath.Of(Wallet.PathOf(c, d)[0])), audience, nonce2)))];
        var second = await Ok(await verifier.PostAsJsonAsync(Url("/api/verify"), new { presentations = again, nonce = nonce2, audience, agreementId, role = "registered_nurse", start, end }), HttpStatusCode.Created);
        Assert.False(second["accepted"]!.GetValue<bool>());
        Assert.Contains(second["requirements"]!.AsArray(), r => r!["id"]!.GetValue<string>() == "dbs" && r["outcome"]!.GetValue<string>() == "withdrawn");
        _ = trainingId;
    }

    [Fact]
    public async Task Credentials_of_two_different_people_presented_together_are_refused()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        var first = await HomeIssuesAsync(home);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        var otherStaff = await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
        {
            givenName = "Ben", familyName = "Ng", dateOfBirth = "1985-02-03", assignmentNumber = $"B-{Guid.NewGuid():N}"[..14],
        }), HttpStatusCode.Created);
        var otherId = otherStaff["id"]!.GetValue<Guid>();
        await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{otherId}/credentials"), new
        {
            type = "training", sourceReference = $"OLM-{Guid.NewGuid():N}",
            claims = new { subject = "fire_safety", level = "1", completed_on = Day(-30), provider = "Trust Learning" },
        }), HttpStatusCode.Created);

        using var walletA = new Wallet(services.Issuer.Anonymous());
        var heldA = await walletA.ReceiveAsync((await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{first.StaffId}/offers"), new { credentialIds = new[] { first.DbsId } }), HttpStatusCode.Created)) is var a ? a["offerUri"]!.GetValue<string>() : "", a["txCode"]!.GetValue<string>());
        var offerB = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{otherId}/offers"), new { }), HttpStatusCode.Created);
        var heldB = await walletA.ReceiveAsync(offerB["offerUri"]!.GetValue<string>(), offerB["txCode"]!.GetValue<string>());

        var agreementId = await HostAgreesAsync(host, home);
        var nonce = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(32));
        var audience = $"{VerifierHost.PublicBaseUrl}verifiers/{host}";
        string[] presentations =
        [
            await walletA.PresentAsync(heldA[0], [ClaimPath.Of("level"), ClaimPath.Of("barred_list_adults"), ClaimPath.Of("barred_list_children"), ClaimPath.Of("issued_on")], audience, nonce),
            await walletA.PresentAsync(heldB[0], [ClaimPath.Of("subject"), ClaimPath.Of("expires_on")], audience, nonce),
        ];
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var response = await services.Verifier.As(host, PassportRoles.Verifier).PostAsJsonAsync(Url("/api/verify"),
            new { presentations, nonce, audience, agreementId, role = "registered_nurse", start, end = start.AddDays(10) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("subject_mismatch", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }
        Assert.Fail($"Waited 15 s for {what}.");
    }
}

/// <summary>A holder's wallet: OpenID4VCI pre-authorized code flow with a jwt proof, and key-bound presentations.</summary>
internal sealed class Wallet(HttpClient http) : IDisposable
{
    private readonly EcdsaJwsSigner _key = EcdsaJwsSigner.Generate("holder");

    /// <summary>The wallet's holder key, for tests that prove possession of it (or of another) outside the usual flow.</summary>
    public EcdsaJwsSigner Key => _key;

    public async Task<List<HeldCredential>> ReceiveAsync(string offerUri, string txCode)
    {
        const string prefix = "openid-credential-offer://?credential_offer_uri=";
        Assert.StartsWith(prefix, offerUri, StringComparison.Ordinal);
        var offer = JsonNode.Parse(await http.GetStringAsync(new Uri(Uri.UnescapeDataString(offerUri[prefix.Length..]))))!.AsObject();
        var issuer = offer["credential_issuer"]!.GetValue<string>();
        var code = offer["grants"]!["urn:ietf:params:oauth:grant-type:pre-authorized_code"]!["pre-authorized_code"]!.GetValue<string>();
        using var token = await http.PostAsync(new Uri($"{issuer}/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:pre-authorized_code", ["pre-authorized_code"] = code, ["tx_code"] = txCode,
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        var held = new List<HeldCredential>();
        foreach (var configuration in offer["credential_configuration_ids"]!.AsArray().Select(c => c!.GetValue<string>()))
        {
            using var nonceResponse = await http.PostAsync(new Uri($"{issuer}/nonce"), null);
            var nonce = (await nonceResponse.Content.ReadFromJsonAsync<JsonObject>())!["c_nonce"]!.GetValue<string>();
            var proof = await CompactJws.SignAsync(
                new JsonObject { ["typ"] = "openid4vci-proof+jwt", ["jwk"] = _key.PublicJwk.ToJson(includeKid: false) },
                new JsonObject { ["aud"] = issuer, ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["nonce"] = nonce },
                _key, _key.Reference, CancellationToken.None);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{issuer}/credential"))
            {
                Content = new StringContent(new JsonObject
                {
                    ["credential_configuration_id"] = configuration,
                    ["proofs"] = new JsonObject { ["jwt"] = new JsonArray(proof) },
                }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await http.SendAsync(request);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
            var serialized = body["credentials"]![0]!["credential"]!.GetValue<string>();
            Assert.True(HeldCredential.TryParse(serialized, out var credential, out var error), error?.ToString());
            held.Add(credential);
        }
        return held;
    }

    public static IReadOnlyList<object> PathOf(HeldCredential credential, Disclosure disclosure) => credential.PathOf(disclosure);

    public async Task<string> PresentAsync(HeldCredential credential, IEnumerable<ClaimPath> claims, string audience, string nonce) =>
        await credential.PresentAsync(credential.Select(claims), new KeyBindingRequest(audience, nonce, DateTimeOffset.UtcNow), _key, _key.Reference, CancellationToken.None);

    public void Dispose() => http.Dispose();
}
