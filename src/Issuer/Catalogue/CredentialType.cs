using System.Globalization;
using System.Text.Json.Nodes;
using Passport.Credentials.SdJwt;

namespace Passport.Issuer.Catalogue;

/// <summary>When a credential expires, and which field that follows from (to name it if the result is already past).</summary>
internal readonly record struct Expiry(DateTimeOffset At, string Field)
{
    /// <summary>Valid through the whole of <paramref name="lastDay"/> (UTC).</summary>
    public static Expiry Through(DateOnly lastDay, string field) =>
        new(new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), field);

    public static Expiry MonthsAfter(DateOnly day, int months, string field) => Through(day.AddMonths(months).AddDays(-1), field);
}

/// <summary>
/// One type of the credential catalogue: its claims (input checks, defaults, disclosability), cross-field rules,
/// expiry rule and provenance defaults. Content only: signing is <see cref="Credentials.CredentialMinter"/>'s business.
/// </summary>
internal sealed record CredentialType
{
    public const string ProvenanceClaim = "provenance";

    public required string Key { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<ClaimField> Fields { get; init; }

    /// <summary>Rules across fields, run only when every field is well-formed; each names the field at fault.</summary>
    public IReadOnlyList<Func<JsonObject, IssueContext, (string Field, string Error)?>> Rules { get; init; } = [];

    public required Func<JsonObject, IssueContext, Expiry> Expires { get; init; }
    public required string ExpiryRule { get; init; }

    public required string AssurancePolicy { get; init; }
    public required string DefaultMethod { get; init; }
    public string DefaultOriginSystem { get; init; } = "passport";

    public static readonly string[] AssurancePolicies = ["GPG45", "CSTF", "local"];

    public IReadOnlyList<ClaimField> ProvenanceFields => field ??=
    [
        new() { Name = "origin_system", Label = "Origin system", Description = "The system of record the facts came from (ESR, a learning system, ...).", Default = (_, _) => DefaultOriginSystem },
        new() { Name = "assurance_policy", Label = "Assurance policy", Kind = ClaimKind.Choice, Choices = AssurancePolicies, Default = (_, _) => AssurancePolicy },
        new() { Name = "method", Label = "Method", Description = "How the facts were checked.", Default = (_, _) => DefaultMethod },
        new() { Name = "verified_by", Label = "Verified by", Description = "Who checked them; defaults to the HR user issuing.", Default = (c, _) => c.Actor },
        new() { Name = "last_refreshed", Label = "Last refreshed", Kind = ClaimKind.Date, NotInFuture = true, Description = "When the facts were last confirmed; defaults to today.", Default = (c, _) => c.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
    ];

    /// <summary>
    /// Checks the input and builds the credential's claims (with its provenance block) and expiry, or says what is wrong
    /// with each field, keyed <c>claims.x</c> and <c>provenance.x</c>.
    /// </summary>
    public (JsonObject? Claims, DateTimeOffset ExpiresAt, Errors Errors) Build(JsonObject? input, JsonObject? provenance, IssueContext context)
    {
        var errors = new Errors();
        var claims = ClaimField.ReadObject(Fields, input ?? [], "claims.", context, errors);
        var block = ClaimField.ReadObject(ProvenanceFields, provenance ?? [], "provenance.", context, errors);
        if (errors.Count > 0)
            return (null, default, errors);

        foreach (var rule in Rules)
        {
            if (rule(claims, context) is { } problem)
                errors.Add("claims." + problem.Field, problem.Error);
        }
        if (errors.Count > 0)
            return (null, default, errors);

        var expiry = Expires(claims, context);
        if (expiry.At <= context.Now)
        {
            errors.Add("claims." + expiry.Field, "With this date the credential would already have expired; an expired credential cannot be issued.");
            return (null, default, errors);
        }
        claims[ProvenanceClaim] = block;
        return (claims, expiry.At, errors);
    }

    /// <summary>The default disclosure frame, built from the claims actually present (the issuer refuses a frame naming absent claims).</summary>
    public DisclosureFrame FrameFor(JsonObject claims)
    {
        var frame = new DisclosureFrame();
        foreach (var field in Fields)
        {
            if (!claims.TryGetPropertyValue(field.Name, out var value) || value is null)
                continue;
            if (field.Sd == Disclosability.Always)
                frame.Claims.Add(field.Name);
            if (field.ItemsDisclosable && value is JsonArray { Count: > 0 } items)
            {
                var elements = new DisclosureFrame();
                for (var i = 0; i < items.Count; i++)
                    elements.Elements.Add(i);
                frame.Nested[field.Name] = elements;
            }
        }
        return frame;
    }
}
