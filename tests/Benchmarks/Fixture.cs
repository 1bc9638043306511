using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Passport.Credentials.Jose;
using Passport.Credentials.SdJwt;

namespace Passport.Benchmarks;

/// <summary>An issuer, a holder and a verifier over one training credential: 10 claims, 8 selectively disclosable.</summary>
internal sealed class Fixture
{
    public const string IssuerId = "https://passport.example.nhs.uk/issuers/RHQ";
    public const string Audience = "https://verifier.example.nhs.uk/RXH";
    public const string Nonce = "n-0S6_WzA2Mj-7c1b2e9f";

    public static readonly string[] Disclosable =
        ["given_name", "family_name", "subject", "level", "completed_on", "expires_on", "provider", "professional_body"];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
    public EcdsaJwsSigner IssuerKey { get; } = EcdsaJwsSigner.Generate("issuer-key-1");
    public EcdsaJwsSigner HolderKey { get; } = EcdsaJwsSigner.Generate("holder");

    public static JsonObject Claims() => new()
    {
        ["given_name"] = "Amara",
        ["family_name"] = "Okafor",
        ["subject"] = "Infection Prevention and Control",
        ["level"] = 2,
        ["completed_on"] = "2026-03-01",
        ["expires_on"] = "2027-03-01",
        ["provider"] = "e-Learning for Healthcare",
        ["professional_body"] = "NMC",
        ["organisation"] = "RHQ",
        ["framework"] = "CSTF",
    };

    public SdJwtVcRequest Request() => new()
    {
        Issuer = IssuerId,
        Vct = "https://passport.example.nhs.uk/vct/training",
        Claims = Claims(),
        Frame = DisclosureFrame.Parse(new JsonObject { ["_sd"] = new JsonArray([.. Disclosable.Select(n => (JsonNode)n)]) }),
        IssuedAt = Time.GetUtcNow(),
        ExpiresAt = Time.GetUtcNow().AddDays(365),
        HolderKey = HolderKey.PublicJwk,
        Status = new StatusReference(42, "https://passport.example.nhs.uk/status/RHQ/1"),
    };

    public KeyBindingRequest Binding() => new(Audience, Nonce, Time.GetUtcNow());

    public SdJwtVcVerifier Verifier(int holderKeyCacheSize = 10_000) =>
        new(new StaticIssuerKeyResolver(new Dictionary<string, JsonWebKeySet> { [IssuerId] = new([IssuerKey.PublicJwk]) }), Time,
            new SdJwtVcVerifierOptions { HolderKeyCacheSize = holderKeyCacheSize });

    public static PresentationPolicy Policy() => PresentationPolicy.KeyBound(Audience, Nonce);
}
