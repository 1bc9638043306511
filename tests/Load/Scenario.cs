using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Load;

/// <summary>
/// What is verified: a registered nurse from the home organisation presents three credentials (enhanced DBS, right to
/// work, fire safety training), each with its own KB-JWT over the host's fresh nonce, against an agreement that needs
/// exactly those three. Each member of staff has their own holder key; their three credentials share it, as in a wallet.
/// </summary>
internal sealed class Scenario(StubIssuer issuer, string hostOds, Uri publicBaseUrl, TimeProvider time)
{
    public const string Role = "registered_nurse";

    private static readonly (string Type, string[] Needed)[] Types =
    [
        ("dbs", ["level", "barred_list_adults", "barred_list_children", "issued_on"]),
        ("right-to-work", ["right_to_work_status", "expires_on"]),
        ("training", ["subject", "expires_on"]),
    ];

    private readonly List<Staff> _staff = [];
    private int _nextStaff;

    private sealed record Staff(string Id, EcdsaJwsSigner Holder, (HeldCredential Credential, IReadOnlyList<Disclosure> Chosen)[] Credentials);

    public string HostOds { get; } = hostOds;

    /// <summary>The KB-JWT <c>aud</c>: the host organisation's client identifier at this Verifier.</summary>
    public string Audience { get; } = new Uri(publicBaseUrl, $"verifiers/{hostOds}").ToString();

    public Guid AgreementId { get; set; }

    public DateOnly Start { get; } = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(7);

    public DateOnly End => Start.AddDays(27);

    /// <summary>The issuer JWT of the first credential: the raw ES256 baseline signs and verifies its signing input.</summary>
    public string SampleIssuerJwt => _staff[0].Credentials[0].Credential.IssuerJwt;

    public async Task IssueAsync(int staffCount)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        for (var i = 0; i < staffCount; i++)
        {
            var id = Guid.NewGuid().ToString();
            var holder = EcdsaJwsSigner.Generate("holder");
            var credentials = new (HeldCredential, IReadOnlyList<Disclosure>)[Types.Length];
            for (var t = 0; t < Types.Length; t++)
            {
                var held = await issuer.IssueAsync(Types[t].Type, id, Claims(Types[t].Type, today), holder, time);
                credentials[t] = (held, held.Select(Types[t].Needed.Select(n => ClaimPath.Of(n))));
            }
            _staff.Add(new Staff(id, holder, credentials));
        }
    }

    /// <summary>The body of one <c>POST /api/verify</c>: the next member of staff's three presentations bound to a fresh nonce.</summary>
    public async Task<byte[]> NextRequestAsync()
    {
        var (nonce, presentations) = await NextPresentationsAsync();
        var body = new JsonObject
        {
            ["presentations"] = new JsonArray([.. presentations.Select(p => (JsonNode)p)]), ["nonce"] = nonce, ["audience"] = Audience,
            ["agreementId"] = AgreementId, ["role"] = Role, ["start"] = Day(Start), ["end"] = Day(End),
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    public async Task<(string Nonce, string[] Presentations)> NextPresentationsAsync()
    {
        var staff = _staff[(int)((uint)Interlocked.Increment(ref _nextStaff) % (uint)_staff.Count)];
        var nonce = Base64UrlStrict.Encode(RandomNumberGenerator.GetBytes(24));
        var binding = new KeyBindingRequest(Audience, nonce, time.GetUtcNow());
        var presentations = new string[staff.Credentials.Length];
        for (var i = 0; i < presentations.Length; i++)
        {
            var (credential, chosen) = staff.Credentials[i];
            presentations[i] = await credential.PresentAsync(chosen, binding, staff.Holder, staff.Holder.Reference, CancellationToken.None);
        }
        return (nonce, presentations);
    }

    /// <summary>The agreement between the host and the home organisation (see tests/Verifier.Tests/Agreements/SampleAgreement.cs).</summary>
    public JsonObject Agreement() => new()
    {
        ["title"] = $"Load run {HostOds}-{issuer.Ods}",
        ["parties"] = new JsonArray(HostOds, issuer.Ods),
        ["startsOn"] = Day(Start.AddYears(-1)),
        ["endsOn"] = Day(Start.AddYears(1)),
        ["staffGroups"] = new JsonArray("Nursing and Midwifery Registered"),
        ["maxDeploymentDays"] = 90,
        ["homeApprovalRequired"] = false,
        ["roles"] = new JsonArray(new JsonObject
        {
            ["role"] = Role,
            ["requirements"] = new JsonArray(
                Requirement("dbs", "dbs",
                    ClaimEquals("level", "enhanced"),
                    new JsonObject { ["allTrue"] = new JsonArray(new JsonArray("barred_list_adults"), new JsonArray("barred_list_children")) },
                    new JsonObject { ["date"] = new JsonArray("issued_on"), ["within"] = "P3Y" }),
                Requirement("right_to_work", "right-to-work",
                    new JsonObject
                    {
                        ["anyOf"] = new JsonArray(
                            ClaimEquals("right_to_work_status", "unlimited"),
                            new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "end" }),
                    }),
                Requirement("fire_safety", "training",
                    ClaimEquals("subject", "fire_safety"),
                    new JsonObject { ["date"] = new JsonArray("expires_on"), ["onOrAfter"] = "start" })),
        }),
    };

    private JsonObject Requirement(string id, string type, params JsonObject[] conditions) =>
        new() { ["id"] = id, ["vct"] = issuer.VctBase + type, ["conditions"] = new JsonArray([.. conditions]) };

    private static JsonObject ClaimEquals(string claim, string value) => new() { ["claim"] = new JsonArray(claim), ["equals"] = value };

    private static JsonObject Claims(string type, DateOnly today) => type switch
    {
        "dbs" => new JsonObject
        {
            ["level"] = "enhanced", ["barred_list_adults"] = true, ["barred_list_children"] = true, ["certificate_number"] = "001234567890",
            ["issued_on"] = Day(today.AddYears(-1)), ["update_service"] = false,
        },
        "right-to-work" => new JsonObject
        {
            ["right_to_work_status"] = "time_limited", ["basis"] = "visa", ["expires_on"] = Day(today.AddYears(2)), ["checked_on"] = Day(today.AddDays(-30)),
        },
        _ => new JsonObject
        {
            ["subject"] = "fire_safety", ["level"] = "1", ["completed_on"] = Day(today.AddDays(-100)), ["expires_on"] = Day(today.AddYears(1)),
            ["provider"] = "Load Trust",
        },
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
