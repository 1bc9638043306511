using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Credentials.Tests.SdJwt;

/// <summary>An issuer, a holder and a verifier wired together, so each test states only what it changes.</summary>
internal sealed class TestIssuer
{
    public const string IssuerId = "https://passport.example.nhs.uk/issuers/RHQ";
    public const string Audience = "https://verifier.example.nhs.uk/RXH";
    public const string Nonce = "n-0S6_WzA2Mj-7c1b2e9f";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    public EcdsaJwsSigner IssuerKey { get; } = EcdsaJwsSigner.Generate("issuer-key-1");
    public EcdsaJwsSigner HolderKey { get; } = EcdsaJwsSigner.Generate("holder");

    public static JsonObject TrainingClaims() => new()
    {
        ["given_name"] = "Amara",
        ["family_name"] = "Okafor",
        ["subject"] = "Infection Prevention and Control",
        ["level"] = 2,
        ["completed_on"] = "2026-03-01",
        ["expires_on"] = "2027-03-01",
        ["provider"] = "e-Learning for Healthcare",
        ["immunisations"] = new JsonArray("hepatitis_b", "mmr", "varicella"),
        ["address"] = new JsonObject { ["street"] = "1 Hospital Road", ["postcode"] = "SO16 6YD" },
        ["provenance"] = new JsonObject { ["origin_system"] = "ESR", ["assurance_policy"] = "CSTF" },
    };

    public static DisclosureFrame TrainingFrame() => DisclosureFrame.Parse(new JsonObject
    {
        ["_sd"] = new JsonArray("given_name", "family_name", "subject", "level", "completed_on", "expires_on", "provider", "address"),
        ["immunisations"] = new JsonObject { ["_sd"] = new JsonArray(0, 1, 2) },
        ["address"] = new JsonObject { ["_sd"] = new JsonArray("street") },
    });

    public SdJwtVcRequest Request(JsonObject? claims = null, DisclosureFrame? frame = null) => new()
    {
        Issuer = IssuerId,
        Vct = "https://passport.example.nhs.uk/vct/training",
        Claims = claims ?? TrainingClaims(),
        Frame = frame ?? TrainingFrame(),
        IssuedAt = Time.GetUtcNow(),
        ExpiresAt = Time.GetUtcNow().AddDays(365),
        HolderKey = HolderKey.PublicJwk,
        Status = new StatusReference(42, "https://passport.example.nhs.uk/status/RHQ/1"),
    };

    public async Task<IssuedSdJwt> IssueAsync(SdJwtVcRequest? request = null) =>
        await SdJwtVcIssuer.IssueAsync(request ?? Request(), IssuerKey, IssuerKey.Reference, CancellationToken.None);

    public async Task<string> PresentAsync(IssuedSdJwt issued, string audience = Audience, string nonce = Nonce, DateTimeOffset? iat = null)
    {
        Assert.True(HeldCredential.TryParse(issued.Serialized, out var held, out var error), error?.ToString());
        return await held.PresentAsync(held.Disclosures, new KeyBindingRequest(audience, nonce, iat ?? Time.GetUtcNow()), HolderKey, HolderKey.Reference, CancellationToken.None);
    }

    public SdJwtVcVerifier Verifier(IIssuerKeyResolver? resolver = null) =>
        new(resolver ?? Resolver(), Time);

    public StaticIssuerKeyResolver Resolver() =>
        new(new Dictionary<string, JsonWebKeySet> { [IssuerId] = new([IssuerKey.PublicJwk]) });

    public async Task<CredentialVerification> VerifyAsync(string presentation, PresentationPolicy? policy = null) =>
        await Verifier().VerifyAsync(presentation, policy ?? PresentationPolicy.KeyBound(Audience, Nonce), CancellationToken.None);
}
