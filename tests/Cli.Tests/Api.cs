using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Passport.Cli.Api;

namespace Passport.Cli.Tests;

/// <summary>HR and verifier calls the tests make to set the scene, through the same client the CLI uses.</summary>
internal sealed class Api(EmbeddedHost host) : IDisposable
{
    private readonly HttpClient _http = ServiceClient.CreateHttp(new Uri(host.Url));

    public async Task<ServiceClient> AsAsync(string ods, string role) =>
        new ServiceClient(_http).As(await DevelopmentToken.MintAsync(new ServiceClient(_http), ods, role, CancellationToken.None));

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A new healthcare assistant at RHQ with what the demo agreement asks of one; returns the staff id and credential ids by type.</summary>
    public async Task<(Guid StaffId, Dictionary<string, Guid> Credentials)> HealthcareAssistantAsync()
    {
        var hr = await AsAsync("RHQ", "hr_issuer");
        var staff = await hr.PostAsync("api/staff", new JsonObject
        {
            ["givenName"] = "Sam", ["familyName"] = "Tester", ["dateOfBirth"] = "1994-02-03", ["assignmentNumber"] = $"T-{Guid.NewGuid():N}"[..20],
            ["staffGroup"] = "Additional Clinical Services", ["jobTitle"] = "Healthcare Assistant",
        }, "staff", CancellationToken.None, HttpStatusCode.Created);
        var id = Guid.Parse(staff["id"]!.GetValue<string>());
        var credentials = new Dictionary<string, Guid>(StringComparer.Ordinal);
        (string Type, JsonObject Claims)[] items =
        [
            ("dbs", new JsonObject
            {
                ["level"] = "enhanced", ["barred_list_adults"] = true, ["barred_list_children"] = true, ["certificate_number"] = "001122334455",
                ["issued_on"] = Day(Today.AddDays(-100)),
            }),
            ("right-to-work", new JsonObject { ["right_to_work_status"] = "unlimited", ["basis"] = "british_passport", ["checked_on"] = Day(Today.AddDays(-100)) }),
            ("training", new JsonObject { ["subject"] = "fire_safety", ["completed_on"] = Day(Today.AddDays(-10)) }),
            ("occupational-health", new JsonObject
            {
                ["clearance"] = "cleared", ["assessed_on"] = Day(Today.AddDays(-100)),
                ["immunisations"] = new JsonArray(new JsonObject { ["disease"] = "hepatitis_b", ["immunity"] = "immune" }),
            }),
        ];
        foreach (var (type, claims) in items)
        {
            var issued = await hr.PostAsync($"api/staff/{id}/credentials", new JsonObject { ["type"] = type, ["claims"] = claims }, type, CancellationToken.None, HttpStatusCode.Created);
            credentials[type] = Guid.Parse(issued["id"]!.GetValue<string>());
        }
        return (id, credentials);
    }

    public async Task<(string OfferUri, string TxCode)> OfferAsync(Guid staffId, params Guid[] credentialIds)
    {
        var hr = await AsAsync("RHQ", "hr_issuer");
        var body = credentialIds.Length == 0 ? new JsonObject() : new JsonObject { ["credentialIds"] = new JsonArray([.. credentialIds.Select(c => (JsonNode)c.ToString())]) };
        var offer = await hr.PostAsync($"api/staff/{staffId}/offers", body, "offer", CancellationToken.None, HttpStatusCode.Created);
        return (offer["offerUri"]!.GetValue<string>(), offer["txCode"]!.GetValue<string>());
    }

    /// <summary>RXH asks for what its agreement with RHQ requires of <paramref name="role"/>; returns the request id and deep link.</summary>
    public async Task<(string Id, string DeepLink)> PresentationRequestAsync(string role)
    {
        var verifier = await AsAsync("RXH", "verifier");
        var agreements = await verifier.GetAsync("api/agreements", "agreements", CancellationToken.None);
        var agreement = agreements["items"]!.AsArray().Single()!;
        var request = await verifier.PostAsync("api/presentation-requests", new JsonObject
        {
            ["agreementId"] = agreement["id"]!.GetValue<string>(), ["role"] = role, ["start"] = Day(Today.AddDays(1)), ["end"] = Day(Today.AddDays(10)),
        }, "presentation request", CancellationToken.None, HttpStatusCode.Created);
        return (request["id"]!.GetValue<string>(), request["deepLink"]!.GetValue<string>());
    }

    public void Dispose() => _http.Dispose();
}
