using System.Globalization;
using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;
using Passport.Verifier.Agreements;

namespace Passport.Verifier.Decisions;

/// <summary>How a presented credential came through the credential core's checks.</summary>
internal enum CredentialState
{
    Verified,
    UntrustedIssuer,
    Expired,
}

/// <summary>
/// One presented credential as the engine sees it. Only a verified one has claims; for an untrusted or expired one the
/// issuer and vct are read from its (unverified) JWT so the decision can say which requirement it was meant for.
/// </summary>
internal sealed record PresentedCredential
{
    /// <summary>Its position among everything presented, counting from 0.</summary>
    public required int Index { get; init; }

    /// <summary>The DCQL credential query it answers (wallet responses); null for direct verification, which matches on vct.</summary>
    public string? QueryId { get; init; }

    public required string Issuer { get; init; }
    public required string Vct { get; init; }
    public required CredentialState State { get; init; }
    public JsonObject Claims { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public StatusReference? Status { get; init; }

    /// <summary>The value in the issuer's status list (0 valid, 1 invalid, 2 suspended), looked up for verified credentials.</summary>
    public byte? StatusValue { get; init; }

    /// <summary>Why its status could not be read when that is the credential's own fault (an index outside the list); it then meets nothing.</summary>
    public string? StatusFailure { get; init; }

    /// <summary>The JWK thumbprint of the holder key it is bound to (<c>cnf.jwk</c>), for verified credentials.</summary>
    public string? HolderKey { get; init; }

    /// <summary>Its <c>sub</c>: the person's staff id at the issuer. Every verified credential names one.</summary>
    public string? Subject { get; init; }
}

internal enum Outcome
{
    Met,
    ExpiresBeforeDeploymentEnd,
    Expired,
    Suspended,
    Withdrawn,
    NotMet,
    UntrustedIssuer,
}

/// <summary>Which credential a requirement was judged on.</summary>
internal sealed record CredentialUsed(int Index, string? QueryId, string Issuer, string Vct, DateTimeOffset? ExpiresAt, string? StatusListUri, long? StatusIndex, string? Subject);

internal sealed record RequirementResult
{
    public required string Id { get; init; }
    public required string Vct { get; init; }
    public required Outcome Outcome { get; init; }
    public required string Reason { get; init; }
    public CredentialUsed? Credential { get; init; }

    /// <summary>The disclosed claims the rules read, by path ("level", "registration.number"); nothing else is kept.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Claims { get; init; } = new Dictionary<string, JsonNode?>();
}

internal sealed record Evaluation(bool Accepted, IReadOnlyList<RequirementResult> Requirements);

/// <summary>
/// Decides whether presented credentials meet a role's requirements for a deployment. Pure: no I/O, the clock is a parameter.
/// Every requirement gets an outcome and the credential it was judged on; the decision is accepted only when all are met.
/// </summary>
internal static class RequirementEngine
{
    public static Evaluation Evaluate(RoleRules role, DateOnly start, DateOnly end, IReadOnlyList<PresentedCredential> presented, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(presented);
        var days = new Days(start, end, DateOnly.FromDateTime(now.UtcDateTime));
        var results = role.Requirements.Select(r => EvaluateRequirement(r, presented, days)).ToList();
        return new Evaluation(results.Count > 0 && results.All(r => r.Outcome == Outcome.Met), results);
    }

    private readonly record struct Days(DateOnly Start, DateOnly End, DateOnly Today)
    {
        public DateOnly Of(DateAnchor anchor) => anchor switch
        {
            DateAnchor.Start => Start,
            DateAnchor.End => End,
            _ => Today,
        };
    }

    private readonly record struct Failure(Outcome Outcome, string Reason);

    private static RequirementResult EvaluateRequirement(Requirement requirement, IReadOnlyList<PresentedCredential> presented, Days days)
    {
        var candidates = presented
            .Where(p => p.QueryId is null ? string.Equals(p.Vct, requirement.Vct, StringComparison.Ordinal) : string.Equals(p.QueryId, requirement.Id, StringComparison.Ordinal))
            .ToList();
        if (candidates.Count == 0)
        {
            return new RequirementResult
            {
                Id = requirement.Id,
                Vct = requirement.Vct,
                Outcome = Outcome.NotMet,
                Reason = $"No credential of type {requirement.Vct} was presented for this requirement.",
            };
        }
        var judged = candidates
            .Select(c => (Credential: c, Failure: Judge(requirement, c, days)))
            .OrderBy(j => j.Failure?.Outcome ?? Outcome.Met)
            .ThenBy(j => j.Credential.Index)
            .First();
        var credential = judged.Credential;
        var ofType = IsOfType(requirement, credential);
        return new RequirementResult
        {
            Id = requirement.Id,
            Vct = requirement.Vct,
            Outcome = judged.Failure?.Outcome ?? Outcome.Met,
            Reason = judged.Failure?.Reason ?? "Every condition is met.",
            Credential = new CredentialUsed(credential.Index, credential.QueryId, credential.Issuer, credential.Vct, credential.ExpiresAt,
                credential.Status?.Uri, credential.Status?.Index, credential.Subject),
            Claims = !ofType ? new Dictionary<string, JsonNode?>() : requirement.Paths
                .Select(p => (Key: PathKey.Of(p), Value: PathKey.Read(credential.Claims, p)))
                .Where(c => c.Value is not null)
                .ToDictionary(c => c.Key, c => (JsonNode?)c.Value!.DeepClone(), StringComparer.Ordinal),
        };
    }

    private static bool IsOfType(Requirement requirement, PresentedCredential credential) =>
        string.Equals(credential.Vct, requirement.Vct, StringComparison.Ordinal);

    private static Failure? Judge(Requirement requirement, PresentedCredential credential, Days days)
    {
        // OpenID4VP 1.0 §6.1: a credential answering a query must be of a type in its vct_values; the query id alone proves nothing.
        if (!IsOfType(requirement, credential))
            return new(Outcome.NotMet, $"The credential presented for this requirement is of type {Shown(credential.Vct)}; the requirement asks for {requirement.Vct}.");
        switch (credential.State)
        {
            case CredentialState.UntrustedIssuer:
                return new(Outcome.UntrustedIssuer, $"The credential's issuer ({credential.Issuer}) is not a party to this agreement, so it is not trusted here.");
            case CredentialState.Expired:
                return new(Outcome.Expired, $"The credential expired{At(credential.ExpiresAt)}.");
        }
        if (credential.Status is null)
            return new(Outcome.NotMet, "The credential carries no status list entry, so whether it was withdrawn cannot be checked.");
        if (credential.StatusFailure is { } statusFailure)
            return new(Outcome.NotMet, $"{statusFailure} Whether it was withdrawn cannot be checked, so it is not accepted.");
        switch (credential.StatusValue)
        {
            case 0:
                break;
            case 1:
                return new(Outcome.Withdrawn, "The issuer has withdrawn (revoked) this credential.");
            case 2:
                return new(Outcome.Suspended, "The issuer has suspended this credential.");
            default:
                return new(Outcome.NotMet, $"The credential's status is {credential.StatusValue?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}, not valid.");
        }
        if (credential.ExpiresAt is { } exp && DateOnly.FromDateTime(exp.UtcDateTime) < days.Start)
            return new(Outcome.Expired, $"The credential expires{At(exp)}, before the deployment starts on {days.Start:yyyy-MM-dd}.");
        foreach (var condition in requirement.Conditions)
        {
            if (Check(condition, credential.Claims, days) is { } failure)
                return failure;
        }
        return null;
    }

    private static Failure? Check(Condition condition, JsonObject claims, Days days) => condition switch
    {
        ClaimIn c => CheckIn(c, claims),
        AllTrue c => CheckAllTrue(c, claims),
        DateOnOrAfter c => CheckOnOrAfter(c, claims, days),
        DateWithin c => CheckWithin(c, claims, days),
        AnyOf c => CheckAnyOf(c, claims, days),
        _ => throw new InvalidOperationException($"Unknown condition {condition.GetType().Name}."),
    };

    private static Failure? CheckIn(ClaimIn c, JsonObject claims)
    {
        var key = PathKey.Of(c.Path);
        if (PathKey.Read(claims, c.Path) is not { } value)
            return NotDisclosed(key);
        if (c.Values.Any(v => JsonNode.DeepEquals(v, value)))
            return null;
        var wanted = c.Values.Count == 1 ? c.Values[0].ToJsonString() : "one of " + string.Join(", ", c.Values.Select(v => v.ToJsonString()));
        return new(Outcome.NotMet, $"'{key}' is {Show(value)}; the agreement requires {wanted}.");
    }

    private static Failure? CheckAllTrue(AllTrue c, JsonObject claims)
    {
        foreach (var path in c.Claims)
        {
            var key = PathKey.Of(path);
            var value = PathKey.Read(claims, path);
            if (value is null)
                return NotDisclosed(key);
            if (value is not JsonValue v || !v.TryGetValue<bool>(out var flag) || !flag)
                return new(Outcome.NotMet, $"'{key}' is {Show(value)}; the agreement requires true.");
        }
        return null;
    }

    private static Failure? CheckOnOrAfter(DateOnOrAfter c, JsonObject claims, Days days)
    {
        var key = PathKey.Of(c.Path);
        if (ReadDate(claims, c.Path, key, out var date) is { } failure)
            return failure;
        var anchor = days.Of(c.Anchor);
        if (date >= anchor)
            return null;
        return c.Anchor == DateAnchor.End && date >= days.Start
            ? new(Outcome.ExpiresBeforeDeploymentEnd, $"'{key}' is {date:yyyy-MM-dd}, before the deployment ends on {days.End:yyyy-MM-dd}.")
            : new(Outcome.Expired, $"'{key}' is {date:yyyy-MM-dd}, so it is not valid on the deployment's first day, {days.Start:yyyy-MM-dd}.");
    }

    private static Failure? CheckWithin(DateWithin c, JsonObject claims, Days days)
    {
        var key = PathKey.Of(c.Path);
        if (ReadDate(claims, c.Path, key, out var date) is { } failure)
            return failure;
        var anchor = days.Of(c.Anchor);
        var earliest = c.Period.Before(anchor);
        return date >= earliest
            ? null
            : new(Outcome.Expired, $"'{key}' is {date:yyyy-MM-dd}, more than {c.Period} before {AnchorName(c.Anchor)} ({anchor:yyyy-MM-dd}).");
    }

    private static Failure? CheckAnyOf(AnyOf c, JsonObject claims, Days days)
    {
        var failures = new List<Failure>();
        foreach (var option in c.Conditions)
        {
            if (Check(option, claims, days) is not { } failure)
                return null;
            failures.Add(failure);
        }
        var outcome = failures.Min(f => f.Outcome);
        return new(outcome, "None of the alternatives holds: " + string.Join(" ", failures.Select(f => f.Reason)));
    }

    private static Failure? ReadDate(JsonObject claims, ClaimPath path, string key, out DateOnly date)
    {
        date = default;
        if (PathKey.Read(claims, path) is not { } value)
            return NotDisclosed(key);
        if (value is JsonValue v && v.TryGetValue<string>(out var text)
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return null;
        }
        return new(Outcome.NotMet, $"'{key}' is {Show(value)}, not a date (yyyy-mm-dd).");
    }

    private static Failure NotDisclosed(string key) => new(Outcome.NotMet, $"'{key}' was not disclosed, and the agreement's rules need it.");

    private static string Show(JsonNode value)
    {
        var text = value.ToJsonString();
        return text.Length <= 80 ? text : text[..77] + "...";
    }

    private static string Shown(string vct) => vct.Length == 0 ? "(none)" : vct.Length <= 200 ? vct : vct[..197] + "...";

    private static string At(DateTimeOffset? instant) => instant is { } i ? $" on {i.UtcDateTime:yyyy-MM-dd}" : "";

    private static string AnchorName(DateAnchor anchor) => anchor switch
    {
        DateAnchor.Start => "the deployment's first day",
        DateAnchor.End => "the deployment's last day",
        _ => "today",
    };

    public static string Name(Outcome outcome) => outcome switch
    {
        Outcome.Met => "met",
        Outcome.NotMet => "not_met",
        Outcome.Expired => "expired",
        Outcome.ExpiresBeforeDeploymentEnd => "expires_before_deployment_end",
        Outcome.Withdrawn => "withdrawn",
        Outcome.Suspended => "suspended",
        _ => "untrusted_issuer",
    };
}
