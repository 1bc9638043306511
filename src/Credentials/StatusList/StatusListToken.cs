using System.Text.Json.Nodes;
using Passport.Credentials.Jose;

namespace Passport.Credentials.StatusList;

/// <summary>What a Status List Token says (draft-ietf-oauth-status-list §5.1); signing is separate.</summary>
public sealed record StatusListTokenClaims
{
    /// <summary>The <c>sub</c>: the URI the Referenced Tokens carry in <c>status.status_list.uri</c>.</summary>
    public required string Subject { get; init; }

    public required StatusList List { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>How long a Relying Party may cache the token before fetching a fresh one; whole seconds.</summary>
    public TimeSpan? TimeToLive { get; init; }

    public string? Issuer { get; init; }

    public string? AggregationUri { get; init; }
}

/// <summary>Builds <c>statuslist+jwt</c> tokens (draft-ietf-oauth-status-list §5.1).</summary>
public static class StatusListToken
{
    public const string Type = "statuslist+jwt";

    public static ValueTask<string> CreateAsync(
        StatusListTokenClaims claims, IJwsSigner signer, SigningKeyReference key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(claims.Subject);
        if (claims.ExpiresAt <= claims.IssuedAt)
            throw new ArgumentException("A status list token must expire after it is issued.", nameof(claims));
        if (claims.TimeToLive is { } ttl && (ttl < TimeSpan.FromSeconds(1) || ttl.Ticks % TimeSpan.TicksPerSecond != 0))
            throw new ArgumentException("The time to live must be a positive whole number of seconds.", nameof(claims));

        var header = new JsonObject { ["typ"] = Type, ["kid"] = key.KeyId };
        var statusList = new JsonObject { ["bits"] = claims.List.Bits, ["lst"] = claims.List.Encode() };
        if (claims.AggregationUri is not null)
            statusList["aggregation_uri"] = claims.AggregationUri;
        var payload = new JsonObject { ["sub"] = claims.Subject };
        if (claims.Issuer is not null)
            payload["iss"] = claims.Issuer;
        payload["iat"] = claims.IssuedAt.ToUnixTimeSeconds();
        payload["exp"] = claims.ExpiresAt.ToUnixTimeSeconds();
        if (claims.TimeToLive is { } timeToLive)
            payload["ttl"] = (long)timeToLive.TotalSeconds;
        payload["status_list"] = statusList;
        return CompactJws.SignAsync(header, payload, signer, key, cancellationToken);
    }
}
