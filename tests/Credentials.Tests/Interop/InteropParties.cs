using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.Interop;

/// <summary>
/// An issuer key, a holder key and a fixed clock shared by our code and the npm peer, so a test states only
/// which side issues, presents and verifies.
/// </summary>
internal sealed class InteropParties
{
    public const string IssuerId = "https://passport.example.nhs.uk/issuers/RHQ";
    public const string Vct = "https://passport.example.nhs.uk/vct/staff-passport";
    public const string Audience = "https://verifier.example.nhs.uk/RXH";
    public const string Nonce = "n-0S6_WzA2Mj-7c1b2e9f";
    public const string StatusListUri = "https://passport.example.nhs.uk/status/RHQ/1";

    private static readonly string[] RegisteredClaims = ["iss", "vct", "iat", "exp", "nbf", "sub", "cnf", "status", "_sd_alg"];

    public static DateTimeOffset Now { get; } = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Now);
    public InteropKey Issuer { get; } = InteropKey.Create("issuer-key-1");
    public InteropKey Holder { get; } = InteropKey.Create("holder-key");

    /// <summary>Top-level, nested-object, array-element and element-inside-element disclosures, and non-ASCII text.</summary>
    public static JsonObject StaffClaims() => new()
    {
        ["given_name"] = "Zoë",
        ["family_name"] = "Okafor-Ndiaye",
        ["level"] = 2,
        ["registration"] = new JsonObject { ["body"] = "NMC", ["number"] = "12A3456E", ["expires_on"] = "2027-03-31" },
        ["immunisations"] = new JsonArray("hepatitis_b", "mmr", "varicella"),
        ["qualifications"] = new JsonArray(
            new JsonObject { ["code"] = "RN", ["awarded"] = 2019 },
            new JsonObject { ["code"] = "NIP", ["awarded"] = 2023 }),
    };

    /// <summary>The frame notation both our <see cref="DisclosureFrame.Parse"/> and @sd-jwt's <c>issue</c> read.</summary>
    public static JsonObject StaffFrame() => new()
    {
        ["_sd"] = new JsonArray("given_name", "family_name", "level", "registration"),
        ["_sd_decoy"] = 2,
        ["registration"] = new JsonObject { ["_sd"] = new JsonArray("number", "expires_on") },
        ["immunisations"] = new JsonObject { ["_sd"] = new JsonArray(0, 1, 2) },
        ["qualifications"] = new JsonObject
        {
            ["_sd"] = new JsonArray(1),
            ["1"] = new JsonObject { ["_sd"] = new JsonArray("awarded") },
        },
    };

    /// <summary>The claims a verifier asks for, as our holder selects them.</summary>
    public static ClaimPath[] Requested() =>
    [
        ClaimPath.Of("given_name"),
        ClaimPath.Of("registration", "number"),
        ClaimPath.Of("immunisations", 1),
        ClaimPath.Of("qualifications", 1, "awarded"),
    ];

    /// <summary>The same request as an @sd-jwt presentation frame.</summary>
    public static JsonObject RequestedFrame() => new()
    {
        ["given_name"] = true,
        ["registration"] = new JsonObject { ["number"] = true },
        ["immunisations"] = new JsonObject { ["1"] = true },
        ["qualifications"] = new JsonObject { ["1"] = new JsonObject { ["awarded"] = true } },
    };

    /// <summary>What any verifier should see after <see cref="Requested"/>: the asked-for claims, their parents and the always-visible ones.</summary>
    public static JsonObject ExpectedDisclosed() => new()
    {
        ["given_name"] = "Zoë",
        ["registration"] = new JsonObject { ["body"] = "NMC", ["number"] = "12A3456E" },
        ["immunisations"] = new JsonArray("mmr"),
        ["qualifications"] = new JsonArray(
            new JsonObject { ["code"] = "RN", ["awarded"] = 2019 },
            new JsonObject { ["code"] = "NIP", ["awarded"] = 2023 }),
    };

    /// <summary>The processed claims without the registered ones the issuer sets (and <c>_sd_alg</c>, which a holder's view keeps).</summary>
    public static JsonObject UserClaims(JsonNode? processed)
    {
        var claims = Assert.IsType<JsonObject>(processed).DeepClone().AsObject();
        foreach (var name in RegisteredClaims)
            claims.Remove(name);
        return claims;
    }

    public static void AssertSameJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected?.ToJsonString()}{Environment.NewLine}but got  {actual?.ToJsonString()}");

    public async Task<IssuedSdJwt> IssueHereAsync(StatusReference? status = null) =>
        await SdJwtVcIssuer.IssueAsync(new SdJwtVcRequest
        {
            Issuer = IssuerId,
            Vct = Vct,
            Claims = StaffClaims(),
            Frame = DisclosureFrame.Parse(StaffFrame()),
            IssuedAt = Now,
            ExpiresAt = Now.AddDays(365),
            HolderKey = Holder.PublicJwk,
            Status = status,
        }, Issuer.Signer, Issuer.Signer.Reference, CancellationToken.None);

    public async Task<string> PresentHereAsync(string issued, IEnumerable<ClaimPath>? requested = null)
    {
        Assert.True(HeldCredential.TryParse(issued, out var held, out var error), error?.ToString());
        var disclosures = requested is null ? held.Disclosures : held.Select(requested);
        return await held.PresentAsync(disclosures, new KeyBindingRequest(Audience, Nonce, Now), Holder.Signer, Holder.Signer.Reference, CancellationToken.None);
    }

    public async Task<CredentialVerification> VerifyHereAsync(string presentation) =>
        await new SdJwtVcVerifier(new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet> { [IssuerId] = new([Issuer.PublicJwk]) }), Time)
            .VerifyAsync(presentation, PresentationPolicy.KeyBound(Audience, Nonce), CancellationToken.None);

    public async Task<string> IssueInPeerAsync(StatusReference? status = null)
    {
        var request = new JsonObject
        {
            ["op"] = "issue",
            ["issuerJwk"] = Issuer.PrivateJwkJson(),
            ["iss"] = IssuerId,
            ["vct"] = Vct,
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["exp"] = Now.AddDays(365).ToUnixTimeSeconds(),
            ["holderJwk"] = Holder.PublicJwkJson(),
            ["claims"] = StaffClaims(),
            ["frame"] = StaffFrame(),
        };
        if (status is not null)
            request["status"] = status.ToJson()["status_list"]!.DeepClone();
        return (await NodePeer.RunAsync(request))["sdJwt"]!.GetValue<string>();
    }

    public async Task<string> PresentInPeerAsync(string issued, JsonObject? frame = null, string audience = Audience)
    {
        var request = new JsonObject
        {
            ["op"] = "present",
            ["sdJwt"] = issued,
            ["holderJwk"] = Holder.PrivateJwkJson(),
            ["aud"] = audience,
            ["nonce"] = Nonce,
            ["iat"] = Now.ToUnixTimeSeconds(),
        };
        if (frame is not null)
            request["frame"] = frame;
        return (await NodePeer.RunAsync(request))["presentation"]!.GetValue<string>();
    }

    public Task<PeerAnswer> VerifyInPeerAsync(string presentation, string nonce = Nonce, string? statusListToken = null)
    {
        var request = new JsonObject
        {
            ["op"] = "verify",
            ["presentation"] = presentation,
            ["issuerJwk"] = Issuer.PublicJwkJson(),
            ["currentDate"] = Now.ToUnixTimeSeconds(),
            ["requireKeyBinding"] = true,
            ["aud"] = Audience,
            ["nonce"] = nonce,
        };
        if (statusListToken is not null)
            request["statusListToken"] = statusListToken;
        return NodePeer.TryRunAsync(request);
    }
}
