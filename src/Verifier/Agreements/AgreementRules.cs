using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Verifier.Agreements;

/// <summary>A validated agreement: what the requirement engine and the DCQL builder read. Built only by <see cref="AgreementValidation"/>.</summary>
internal sealed record AgreementRules
{
    public required string Title { get; init; }
    public required IReadOnlyList<string> Parties { get; init; }
    public required DateOnly StartsOn { get; init; }
    public required DateOnly EndsOn { get; init; }
    public required IReadOnlyList<string> StaffGroups { get; init; }
    public required int MaxDeploymentDays { get; init; }
    public required bool HomeApprovalRequired { get; init; }
    public bool HostMayRaiseMutualAid { get; init; }
    public required IReadOnlyList<RoleRules> Roles { get; init; }

    public RoleRules? FindRole(string role) => Roles.FirstOrDefault(r => string.Equals(r.Role, role, StringComparison.Ordinal));
}

/// <summary>A role's requirements, and whether presentations from a hosted wallet are accepted for it.</summary>
internal sealed record RoleRules(string Role, IReadOnlyList<Requirement> Requirements, bool AcceptsHostedWallet = true);

/// <summary>One requirement: a credential of type <see cref="Vct"/> whose claims meet every condition. Its id names it in DCQL and decisions.</summary>
internal sealed record Requirement(string Id, string Vct, string? Description, IReadOnlyList<Condition> Conditions)
{
    /// <summary>Every claim path the conditions read, in first-use order: what DCQL asks for and what a decision keeps.</summary>
    public IReadOnlyList<ClaimPath> Paths { get; } = Conditions.SelectMany(c => c.Paths).DistinctBy(PathKey.Of).ToList();
}

/// <summary>When a date is compared: the deployment's first day, its last day, or the day the decision is made.</summary>
internal enum DateAnchor
{
    Start,
    End,
    Today,
}

/// <summary>The small rule language. Each condition reads named claims of one credential.</summary>
internal abstract record Condition
{
    public abstract IEnumerable<ClaimPath> Paths { get; }
}

/// <summary>The claim equals one of the values (one value: "equals").</summary>
internal sealed record ClaimIn(ClaimPath Path, IReadOnlyList<JsonNode> Values) : Condition
{
    public override IEnumerable<ClaimPath> Paths => [Path];
}

/// <summary>Every named claim is the boolean true.</summary>
internal sealed record AllTrue(IReadOnlyList<ClaimPath> Claims) : Condition
{
    public override IEnumerable<ClaimPath> Paths => Claims;
}

/// <summary>The date claim is on or after the anchor day ("valid on the start date", "valid through the end").</summary>
internal sealed record DateOnOrAfter(ClaimPath Path, DateAnchor Anchor) : Condition
{
    public override IEnumerable<ClaimPath> Paths => [Path];
}

/// <summary>The date claim is no more than <see cref="Period"/> before the anchor day ("issued within 3 years").</summary>
internal sealed record DateWithin(ClaimPath Path, DatePeriod Period, DateAnchor Anchor) : Condition
{
    public override IEnumerable<ClaimPath> Paths => [Path];
}

/// <summary>At least one of the conditions holds ("... unless ...").</summary>
internal sealed record AnyOf(IReadOnlyList<Condition> Conditions) : Condition
{
    public override IEnumerable<ClaimPath> Paths => Conditions.SelectMany(c => c.Paths);
}

internal enum PeriodUnit
{
    Days,
    Months,
    Years,
}

/// <summary>An ISO 8601 period of one unit: PnD, PnM or PnY.</summary>
internal readonly record struct DatePeriod(int Count, PeriodUnit Unit)
{
    public DateOnly Before(DateOnly day) => Unit switch
    {
        PeriodUnit.Days => day.AddDays(-Count),
        PeriodUnit.Months => day.AddMonths(-Count),
        _ => day.AddYears(-Count),
    };

    public override string ToString() => $"P{Count}{Unit switch { PeriodUnit.Days => 'D', PeriodUnit.Months => 'M', _ => 'Y' }}";
}

/// <summary>Claim paths as stable strings ("registration.number", "immunisations.0") for lookups and storage.</summary>
internal static class PathKey
{
    public static string Of(ClaimPath path) => string.Join('.', path.Segments.Select(s => Convert.ToString(s, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The claim at <paramref name="path"/>, or null when it was not disclosed.</summary>
    public static JsonNode? Read(JsonObject claims, ClaimPath path)
    {
        JsonNode? node = claims;
        foreach (var segment in path.Segments)
        {
            node = (node, segment) switch
            {
                (JsonObject o, string name) => o[name],
                (JsonArray a, int index) when index < a.Count => a[index],
                _ => null,
            };
            if (node is null)
                return null;
        }
        return node;
    }
}
