namespace Passport.Issuer.Keys;

/// <summary>A signing key as an organisation administrator sees it: its lifecycle, never its private half.</summary>
public sealed record KeyResponse(string Kid, KeyProvider Provider, DateTimeOffset CreatedAt, DateTimeOffset? ActivatedAt,
    DateTimeOffset? RetiredAt, DateTimeOffset? PublishUntil);

internal static class KeyResponseMapping
{
    public static KeyResponse ToResponse(this SigningKey key) =>
        new(key.Kid, key.Provider, key.CreatedAt, key.ActivatedAt, key.RetiredAt, key.PublishUntil);
}
