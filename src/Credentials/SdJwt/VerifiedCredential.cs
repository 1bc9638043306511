using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.SdJwt;

/// <summary>What a verified SD-JWT VC says: the processed claims (disclosed ones only), the holder key and the status reference.</summary>
public sealed record VerifiedCredential
{
    public required string Issuer { get; init; }
    public required string Vct { get; init; }
    public required string KeyId { get; init; }
    public required JsonObject Claims { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public EcPublicJwk? HolderKey { get; init; }
    public StatusReference? Status { get; init; }
    public bool KeyBound { get; init; }
    public required IReadOnlyList<Disclosure> Disclosures { get; init; }
}

/// <summary>Either a verified credential or the first check that failed.</summary>
public sealed record CredentialVerification(VerifiedCredential? Credential, CredentialError? Error)
{
    public bool IsValid => Credential is not null;

    public static CredentialVerification Valid(VerifiedCredential credential) => new(credential, null);

    public static CredentialVerification Invalid(CredentialError error) => new(null, error);
}

/// <summary>What the caller requires of this presentation. Key binding is the caller's decision, never the token's.</summary>
public sealed record PresentationPolicy
{
    public required bool RequireKeyBinding { get; init; }

    /// <summary>The verifier's own identifier; the KB-JWT's <c>aud</c> must be exactly this single string.</summary>
    public string? Audience { get; init; }

    /// <summary>The nonce the verifier issued for this presentation.</summary>
    public string? Nonce { get; init; }

    public static PresentationPolicy KeyBound(string audience, string nonce) =>
        new() { RequireKeyBinding = true, Audience = audience, Nonce = nonce };

    public static PresentationPolicy WithoutKeyBinding { get; } = new() { RequireKeyBinding = false };
}

public sealed record SdJwtVcVerifierOptions
{
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How old a KB-JWT's <c>iat</c> may be.</summary>
    public TimeSpan KeyBindingMaxAge { get; init; } = TimeSpan.FromMinutes(5);

    public SdJwtLimits Limits { get; init; } = SdJwtLimits.Default;

    // One immutable default for every options instance: a verifier is made per request, and a new set each time was garbage.
    public IReadOnlySet<string> AcceptedTypes { get; init; } = DefaultTypes;

    private static readonly FrozenSet<string> DefaultTypes = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, SdJwtVcIssuer.MediaType);

    public bool RequireExpiry { get; init; } = true;

    /// <summary>How many holder keys to keep imported between verifications; 0 turns the cache off.</summary>
    public int HolderKeyCacheSize { get; init; } = 10_000;
}
