extern alias HostAssembly;

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HostAssembly::Passport.Host;

namespace Passport.Web.Tests;

/// <summary>A member of staff a test made: their record, the person who signs in as them, and their credentials' ids by type.</summary>
public sealed record StaffMember(Guid Id, TestUser User, IReadOnlyDictionary<string, IReadOnlyList<Guid>> Credentials);

/// <summary>
/// Sets the scene for a page test through the API, as the provider's users: the demo organisations and agreement (once
/// per site, see <see cref="PassportSite"/>), staff with the credentials the agreement asks for, offers and presentation
/// requests. Names are the test's own, so a page can be checked for them.
/// </summary>
public static class Scene
{
    public const string HomeOds = FirstRun.HomeOds;
    public const string HostOds = FirstRun.HostOds;
    public const string HomeName = "Northgate Hospitals NHS Trust (demo)";
    public const string HostName = "Eastbrook Community NHS Trust (demo)";
    public const string AgreementTitle = FirstRun.AgreementTitle;
    public const string NurseRole = DemoAgreement.NurseRole;
    public const string AssistantRole = DemoAgreement.AssistantRole;

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Both demo organisations by name, and RXH's agreement with RHQ covering nurses and healthcare assistants.</summary>
    internal static async Task SeedOrganisationsAsync(PassportSite site)
    {
        using (var admin = await site.ApiAsync(TestUser.AdminAtRhq))
            await SendAsync(admin, HttpMethod.Put, "api/organisation", new JsonObject { ["name"] = HomeName });
        using (var admin = await site.ApiAsync(TestUser.AdminAtRxh))
            await SendAsync(admin, HttpMethod.Put, "api/organisation", new JsonObject { ["name"] = HostName });
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        var catalogue = await hr.GetFromJsonAsync<JsonArray>(new Uri("api/catalogue", UriKind.Relative)) ?? [];
        var vcts = catalogue.OfType<JsonObject>().ToDictionary(t => t["type"]!.GetValue<string>(), t => t["vct"]!.GetValue<string>(), StringComparer.Ordinal);
        // Agreements are the organisation administrator's to make.
        using var rxhAdmin = await site.ApiAsync(TestUser.AdminAtRxh);
        await SendAsync(rxhAdmin, HttpMethod.Post, "api/agreements", DemoAgreement.Json(vcts, Today));
    }

    /// <summary>A registered nurse at RHQ with everything the agreement asks of one (as the demo's Amara Okafor has).</summary>
    public static Task<StaffMember> NurseAsync(PassportSite site, string givenName, string familyName) =>
        StaffAsync(site, DemoStaff.All(Today)[0], givenName, familyName);

    /// <summary>A healthcare assistant at RHQ with everything the agreement asks of one (as the demo's Grace Mensah has).</summary>
    public static Task<StaffMember> HealthcareAssistantAsync(PassportSite site, string givenName, string familyName) =>
        StaffAsync(site, DemoStaff.All(Today)[2], givenName, familyName);

    private static async Task<StaffMember> StaffAsync(PassportSite site, DemoPerson person, string givenName, string familyName)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        var record = person.Record.DeepClone().AsObject();
        var subject = $"staff-{Guid.NewGuid():N}";
        record["givenName"] = givenName;
        record["familyName"] = familyName;
        record["assignmentNumber"] = Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        record["subject"] = subject;
        record["email"] = $"{subject}@staff.test";
        var staff = await SendAsync(hr, HttpMethod.Post, "api/staff", record);
        var id = Guid.Parse(staff["id"]!.GetValue<string>());
        var credentials = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        foreach (var (type, claims) in person.Credentials)
        {
            var issued = await SendAsync(hr, HttpMethod.Post, $"api/staff/{id}/credentials", new JsonObject { ["type"] = type, ["claims"] = claims.DeepClone() });
            if (!credentials.TryGetValue(type, out var ids))
                credentials[type] = ids = [];
            ids.Add(Guid.Parse(issued["id"]!.GetValue<string>()));
        }
        var user = new TestUser(subject, $"{givenName} {familyName}", HomeOds, ["staff"]) { StaffId = id };
        site.Provider.AddUser(user);
        return new StaffMember(id, user, credentials.ToDictionary(c => c.Key, c => (IReadOnlyList<Guid>)c.Value, StringComparer.Ordinal));
    }

    /// <summary>The e-mail address on the staff record of a member of staff this scene made: messages to them arrive at <see cref="PassportSite.Smtp"/>.</summary>
    public static string EmailOf(StaffMember staff) => $"{(staff ?? throw new ArgumentNullException(nameof(staff))).User.Subject}@staff.test";

    /// <summary>HR offers the member of staff all their credentials: the offer link (the QR code's text) and the transaction code.</summary>
    public static async Task<(string OfferLink, string TxCode)> OfferAsync(PassportSite site, Guid staffId)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        var offer = await SendAsync(hr, HttpMethod.Post, $"api/staff/{staffId}/offers", []);
        return (offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
    }

    /// <summary>RXH asks for what the agreement requires of <paramref name="role"/> from tomorrow for ten days: the request's id and its openid4vp:// link.</summary>
    public static async Task<(Guid Id, string RequestLink)> PresentationRequestAsync(PassportSite site, string role, string agreementTitle = AgreementTitle)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        var agreements = await verifier.GetFromJsonAsync<JsonArray>(new Uri("api/agreements", UriKind.Relative));
        var agreement = agreements!.First(a => a!["title"]!.GetValue<string>() == agreementTitle)!;
        var request = await SendAsync(verifier, HttpMethod.Post, "api/presentation-requests", new JsonObject
        {
            ["agreementId"] = agreement["id"]!.GetValue<string>(), ["role"] = role,
            ["start"] = FirstRun.Day(Today.AddDays(1)), ["end"] = FirstRun.Day(Today.AddDays(10)),
        });
        return (Guid.Parse(request["id"]!.GetValue<string>()), request["deepLink"]!.GetValue<string>());
    }

    public static async Task<JsonObject> DecisionAsync(PassportSite site, Guid requestId)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        return (await verifier.GetFromJsonAsync<JsonObject>(new Uri($"api/presentation-requests/{requestId}/decision", UriKind.Relative)))!;
    }

    /// <summary>RXH's copy of the demo agreement under <paramref name="title"/>, but with the home organisation's approval needed for each deployment.</summary>
    public static async Task AgreementNeedingApprovalAsync(PassportSite site, string title)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var hr = await site.ApiAsync(TestUser.HrAtRhq);
        var catalogue = await hr.GetFromJsonAsync<JsonArray>(new Uri("api/catalogue", UriKind.Relative)) ?? [];
        var vcts = catalogue.OfType<JsonObject>().ToDictionary(t => t["type"]!.GetValue<string>(), t => t["vct"]!.GetValue<string>(), StringComparer.Ordinal);
        var document = DemoAgreement.Json(vcts, Today);
        document["title"] = title;
        document["homeApprovalRequired"] = true;
        using var admin = await site.ApiAsync(TestUser.AdminAtRxh);
        await SendAsync(admin, HttpMethod.Post, "api/agreements", document);
    }

    /// <summary>RXH starts a deployment of <paramref name="staffId"/> from an accepted decision, from tomorrow for ten days: its id.</summary>
    public static async Task<Guid> DeploymentAsync(PassportSite site, Guid decisionId, Guid staffId)
    {
        ArgumentNullException.ThrowIfNull(site);
        using var verifier = await site.ApiAsync(TestUser.VerifierAtRxh);
        var deployment = await SendAsync(verifier, HttpMethod.Post, "api/deployments", new JsonObject
        {
            ["decisionId"] = decisionId.ToString(), ["homeOdsCode"] = HomeOds, ["staffId"] = staffId.ToString(), ["hostSite"] = "Eastbrook General, Ward 9",
            ["start"] = FirstRun.Day(Today.AddDays(1)), ["end"] = FirstRun.Day(Today.AddDays(10)),
        });
        return Guid.Parse(deployment["id"]!.GetValue<string>());
    }

    private static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text) as JsonObject ?? [];
    }
}
