using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;
using Passport.ServiceDefaults;

namespace Passport.Journey.Tests;

/// <summary>A member of staff of the home organisation for mutual-aid tests: their record, sign-in and wallet holding their credentials.</summary>
internal sealed class AidPerson(Guid staffId, string subject, Wallet wallet, List<HeldCredential> held) : IDisposable
{
    public Guid StaffId { get; } = staffId;
    public string Subject { get; } = subject;
    public Wallet Wallet { get; } = wallet;
    public List<HeldCredential> Held { get; } = held;

    public void Dispose() => Wallet.Dispose();
}

/// <summary>What the mutual-aid tests share: issuing people their credentials, the host's agreement, and answering a wallet link as a wallet does.</summary>
internal sealed class MutualAid(TwoServices services)
{
    public const string StaffGroup = "Nursing and Midwifery Registered";
    public const string Role = "registered_nurse";

    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static string NewOds(string prefix) => prefix + RandomNumberGenerator.GetInt32(10_000, 99_999).ToString(CultureInfo.InvariantCulture);

    public static string Day(int fromToday) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<JsonObject> Ok(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? new JsonObject { ["items"] = JsonNode.Parse(body) };
    }

    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
                return;
            await Task.Delay(150);
        }
        Assert.Fail($"Waited {seconds} s for {what}.");
    }

    public async Task RegisterHomeAsync(string home) =>
        await Ok(await services.Issuer.As(home, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Home Trust {home}" }), HttpStatusCode.Created);

    /// <summary>A nurse with an identity check, an enhanced DBS check (or a standard one, which the agreement does not accept) and fire safety training, received into their wallet.</summary>
    public async Task<AidPerson> PersonAsync(string home, bool enhancedDbs = true)
    {
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        var subject = $"user-{Guid.NewGuid():N}";
        var staff = await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
        {
            givenName = "Amara", familyName = $"Okafor-{RandomNumberGenerator.GetInt32(1000, 9999)}", dateOfBirth = "1990-04-01",
            assignmentNumber = $"A-{Guid.NewGuid():N}"[..14], staffGroup = StaffGroup, jobTitle = "Staff Nurse", subject,
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
        await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new
        {
            type = "identity", sourceReference = $"ID-{Guid.NewGuid():N}",
            claims = new { check_method = "in_person", gpg45_profile = "M1B", confidence_level = "medium", checked_on = Day(-100), checked_by = "HR Team" },
        }), HttpStatusCode.Created);
        var offer = await Ok(await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { }), HttpStatusCode.Created);
        var wallet = new Wallet(services.Issuer.Anonymous());
        var held = await wallet.ReceiveAsync(offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
        return new AidPerson(staffId, subject, wallet, held);
    }

    /// <summary>The host's agreement with the home organisation: a registered nurse needs an enhanced DBS and fire safety.</summary>
    public async Task<Guid> HostAgreesAsync(string host, string home, bool hostMayRaise = false)
    {
        string Vct(string type) => $"{services.Issuer.PublicBaseUrl}vct/{type}";
        var verifier = services.Verifier.As(host, PassportRoles.OrganisationAdmin);
        var agreement = await Ok(await verifier.PostAsJsonAsync(Url("/api/agreements"), new JsonObject
        {
            ["title"] = $"Mutual aid {host}-{home}",
            ["parties"] = new JsonArray(host, home),
            ["startsOn"] = Day(-365),
            ["endsOn"] = Day(365),
            ["staffGroups"] = new JsonArray(StaffGroup),
            ["maxDeploymentDays"] = 90,
            ["homeApprovalRequired"] = false,
            ["hostMayRaiseMutualAid"] = hostMayRaise,
            ["roles"] = new JsonArray(new JsonObject
            {
                ["role"] = Role,
                ["requirements"] = new JsonArray(
                    new JsonObject
                    {
                        ["id"] = "dbs", ["vct"] = Vct("dbs"),
                        ["conditions"] = new JsonArray(
                            new JsonObject { ["claim"] = new JsonArray("level"), ["equals"] = "enhanced" },
                            new JsonObject { ["allTrue"] = new JsonArray(new JsonArray("barred_list_adults"), new JsonArray("barred_list_children")) }),
                    },
                    new JsonObject
                    {
                        ["id"] = "fire_safety", ["vct"] = Vct("training"),
                        ["conditions"] = new JsonArray(new JsonObject { ["claim"] = new JsonArray("subject"), ["equals"] = "fire_safety" }),
                    }),
            }),
        }), HttpStatusCode.Created);
        return agreement["id"]!.GetValue<Guid>();
    }

    public HttpClient Staff(string home, AidPerson person)
    {
        var client = services.Issuer.As(home, PassportRoles.Staff);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", services.Tokens.Mint(home, [PassportRoles.Staff], person.StaffId, person.Subject));
        return client;
    }

    /// <summary>The person's own view of the request, once the host's wallet link has reached it.</summary>
    public async Task<string> WalletLinkAsync(string home, AidPerson person, Guid memberId)
    {
        var staff = Staff(home, person);
        string? link = null;
        await Eventually(async () =>
        {
            var mine = await Ok(await staff.GetAsync(Url($"/api/me/mutual-aid/{memberId}")), HttpStatusCode.OK);
            link = mine["walletLink"]?.GetValue<string>();
            return link is not null;
        }, "the host's wallet link to reach the person's passport");
        return link!;
    }

    /// <summary>
    /// What a wallet does with an openid4vp:// link: fetch the request object by reference, disclose what its DCQL query asks
    /// of each credential held, bind each presentation to the nonce and client id, and post them to the response_uri.
    /// </summary>
    public async Task PresentAsync(Wallet wallet, IReadOnlyList<HeldCredential> held, string walletLink)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(walletLink).Query);
        var requestUri = new Uri(query["request_uri"]!);
        using var anonymous = services.Verifier.CreateClient();
        var jwt = await anonymous.GetStringAsync(new Uri(requestUri.PathAndQuery, UriKind.Relative));
        var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jwt.Split('.')[1]))!.AsObject();
        var (nonce, clientId, state) = (payload["nonce"]!.GetValue<string>(), payload["client_id"]!.GetValue<string>(), payload["state"]!.GetValue<string>());
        var vpToken = new JsonObject();
        foreach (var credentialQuery in payload["dcql_query"]!["credentials"]!.AsArray())
        {
            var vcts = credentialQuery!["meta"]!["vct_values"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
            var credential = held.FirstOrDefault(h => vcts.Contains(h.Vct!));
            if (credential is null)
                continue;
            var paths = (credentialQuery["claims"]?.AsArray() ?? []).Select(c => ClaimPath.Of(c!["path"]![0]!.GetValue<string>()));
            vpToken[credentialQuery["id"]!.GetValue<string>()] = new JsonArray(await wallet.PresentAsync(credential, paths, clientId, nonce));
        }
        var responseUri = new Uri(payload["response_uri"]!.GetValue<string>());
        using var response = await anonymous.PostAsync(new Uri(responseUri.PathAndQuery, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["vp_token"] = vpToken.ToJsonString(), ["state"] = state,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"The verifier refused the presentation: {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonObject> RaiseAsync(string home, string host, Guid agreementId, object selection)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(selection))!.AsObject();
        body["hostOdsCode"] = host;
        body["agreementId"] = agreementId;
        body["role"] = Role;
        body["start"] = Day(7);
        body["end"] = Day(34);
        return await Ok(await services.Issuer.As(home, PassportRoles.HrIssuer).PostAsync(Url("/api/mutual-aid-requests"),
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")), HttpStatusCode.Created);
    }

    public static Dictionary<Guid, Guid> MemberIds(JsonObject request) =>
        request["members"]!.AsArray().ToDictionary(m => m!["staffId"]!.GetValue<Guid>(), m => m!["memberId"]!.GetValue<Guid>());
}
