using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Decisions;

/// <summary>
/// The result of verifying presentations against an agreement version for a role and dates. It keeps, per requirement,
/// the outcome, the credential judged and only the disclosed claims the rules read; never the presentation itself.
/// </summary>
public sealed class Decision
{
    public const string FromWallet = "wallet";
    public const string FromDirectVerification = "direct";

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }

    /// <summary>The OpenID4VP presentation request it answers; null for direct verification.</summary>
    public Guid? RequestId { get; init; }

    public required Guid AgreementId { get; init; }
    public required int AgreementVersion { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required bool Accepted { get; init; }

    /// <summary>The nonce the presentations were bound to; unique per organisation, so a presentation is decided once.</summary>
    public required string Nonce { get; init; }

    public required string Source { get; init; }
    public required string DecidedBy { get; init; }
    public required DateTimeOffset DecidedAt { get; init; }

    /// <summary>Who was verified: the <c>sub</c> (home staff id) and issuer of the credentials, when they name one person.</summary>
    public string? Subject { get; init; }

    public string? SubjectIssuer { get; init; }

    /// <summary>The person's names as their own credential disclosed them (nothing else of it is kept); null when not shared.</summary>
    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    /// <summary>
    /// The RFC 7638 thumbprint of the holder key every verified credential was bound to (<c>cnf.jwk</c>), proven by the KB-JWT:
    /// the host binds the person's placement credential to it, so only the wallet that presented can collect it.
    /// </summary>
    public string? HolderKeyThumbprint { get; init; }

    /// <summary>
    /// Set when the presentation came from the home organisation's hosted wallet (its attestation verified): the issuer that
    /// keeps the wallet, how the person consented, when, and who recorded it (null when the person presented themself).
    /// </summary>
    public string? HostedBy { get; init; }

    public string? ConsentMethod { get; init; }
    public DateTimeOffset? ConsentGivenAt { get; init; }
    public string? ConsentRecordedBy { get; init; }

    /// <summary>How the presentation arrived: wallet, hosted_wallet, or direct.</summary>
    public string Route => HostedBy is not null ? RouteHostedWallet : Source;

    public const string RouteHostedWallet = "hosted_wallet";

    /// <summary>
    /// Every requirement's outcome, in the role's order. Stored in the decision's own row as a JSON array (jsonb on PostgreSQL),
    /// camelCase as <see cref="DecisionJson.Options"/> writes it: one insert per decision.
    /// </summary>
    public required IReadOnlyList<RequirementOutcome> Requirements { get; init; }

    /// <summary>The requirements the presentations did not meet.</summary>
    public IEnumerable<RequirementOutcome> NotMet() => NotMet(Requirements);

    public static IEnumerable<RequirementOutcome> NotMet(IEnumerable<RequirementOutcome> outcomes) =>
        outcomes.Where(r => r.Outcome != RequirementEngine.Name(Outcome.Met));

    /// <summary>The credentials the outcomes were judged on.</summary>
    public IEnumerable<CredentialReference> CredentialsJudged => Requirements.Select(r => r.Credential).OfType<CredentialReference>();

    public DecisionResponse ToResponse() => new(
        Id, RequestId, AgreementId, AgreementVersion, Role, Start, End, Accepted ? "accepted" : "rejected", Accepted, DecidedAt, Source,
        Requirements, Subject, SubjectIssuer, GivenName, FamilyName,
        Route, HostedBy is null ? null : new HostedWalletRoute(HostedBy, ConsentMethod ?? "", ConsentGivenAt ?? DecidedAt, ConsentRecordedBy));
}

/// <summary>A presentation from the home organisation's hosted wallet: who keeps it, and the person's consent (how, when, recorded by whom).</summary>
public sealed record HostedWalletRoute(string HostedBy, string ConsentMethod, DateTimeOffset ConsentGivenAt, string? ConsentRecordedBy);

public sealed record DecisionResponse(
    Guid Id, Guid? RequestId, Guid AgreementId, int AgreementVersion, string Role, DateOnly Start, DateOnly End,
    [AllowedValues("accepted", "rejected")] string Decision, bool Accepted, DateTimeOffset DecidedAt,
    [Description("How the presentations arrived: from a wallet (OpenID4VP) or through POST /api/verify.")][AllowedValues(Verifier.Decisions.Decision.FromWallet, Verifier.Decisions.Decision.FromDirectVerification)] string Source,
    [Description("Every requirement of the role, with its outcome.")] IReadOnlyList<RequirementOutcome> Requirements, string? Subject = null, string? SubjectIssuer = null,
    string? GivenName = null, string? FamilyName = null,
    [Description("The route: a wallet app, the home organisation's hosted wallet, or POST /api/verify.")][AllowedValuesFrom(typeof(Decision))] string Route = "wallet",
    [Description("Set when the presentation came from the home organisation's hosted wallet: who keeps it and the person's consent.")] HostedWalletRoute? HostedWallet = null);

/// <summary>
/// One requirement's outcome: met, not_met, expired, expires_before_deployment_end, withdrawn, suspended or untrusted_issuer;
/// why; the credential it was judged on; the disclosed claims the rules read.
/// </summary>
public sealed record RequirementOutcome(
    [Description("The requirement's id in the agreement.")][Example("dbs_enhanced")] string Id,
    [Description("The credential type it asks for.")] string Vct,
    [AllowedValuesFrom(typeof(RequirementEngine), nameof(RequirementEngine.Name))] string Outcome,
    [Description("Why, in words for people.")] string Reason,
    [Description("The credential it was judged on; null when none was presented.")] CredentialReference? Credential,
    [Description("The disclosed claims the rules read, by name.")] IReadOnlyDictionary<string, JsonNode?> Claims);

/// <summary>
/// Names the credential a requirement was judged on: its place in what was presented, issuer, type, expiry, status list entry,
/// and whom it is about (its <c>sub</c>, the person's staff id at the issuer; verified credentials only).
/// </summary>
public sealed record CredentialReference(
    int Index, string? QueryId, string Issuer, string Vct, DateTimeOffset? ExpiresAt, string? StatusListUri, long? StatusIndex, string? Subject = null);

internal static class DecisionJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static List<RequirementOutcome> Outcomes(IEnumerable<RequirementResult> results) =>
    [
        .. results.Select(r => new RequirementOutcome(
            r.Id, r.Vct, RequirementEngine.Name(r.Outcome), r.Reason,
            r.Credential is { } c ? new CredentialReference(c.Index, c.QueryId, c.Issuer, c.Vct, c.ExpiresAt, c.StatusListUri, c.StatusIndex, c.Subject) : null,
            r.Claims)),
    ];

    // The outcomes are written once, with the decision, and never changed: the same list is the same value.
    public static readonly ValueConverter<IReadOnlyList<RequirementOutcome>, string> Stored = new(
        v => JsonSerializer.Serialize(v, Options),
        s => JsonSerializer.Deserialize<List<RequirementOutcome>>(s, Options) ?? new List<RequirementOutcome>());

    public static readonly ValueComparer<IReadOnlyList<RequirementOutcome>> Unchanged = new(
        (a, b) => ReferenceEquals(a, b), v => RuntimeHelpers.GetHashCode(v), v => v);
}

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    /// <summary>PostgreSQL's binary JSON; <see cref="Data.SqliteVerifierDbContext"/> keeps the column as text.</summary>
    public const string RequirementsColumnType = "jsonb";

    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.ToTable("decisions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.OdsCode).HasMaxLength(10);
        builder.Property(d => d.Role).HasMaxLength(64);
        builder.Property(d => d.Nonce).HasMaxLength(512);
        builder.Property(d => d.Source).HasMaxLength(16);
        builder.Property(d => d.DecidedBy).HasMaxLength(200);
        builder.Property(d => d.Subject).HasMaxLength(100);
        builder.Property(d => d.SubjectIssuer).HasMaxLength(300);
        builder.Property(d => d.GivenName).HasMaxLength(PersonName.MaxLength);
        builder.Property(d => d.FamilyName).HasMaxLength(PersonName.MaxLength);
        builder.Property(d => d.HolderKeyThumbprint).HasMaxLength(64);
        builder.Property(d => d.HostedBy).HasMaxLength(300);
        builder.Property(d => d.ConsentMethod).HasMaxLength(20);
        builder.Property(d => d.ConsentRecordedBy).HasMaxLength(200);
        builder.Ignore(d => d.Route);
        builder.Ignore(d => d.CredentialsJudged);
        builder.Property(d => d.Requirements).HasConversion(DecisionJson.Stored, DecisionJson.Unchanged).HasColumnType(RequirementsColumnType);
        builder.HasIndex(d => new { d.OdsCode, d.Nonce }).IsUnique();
        builder.HasIndex(d => d.RequestId).IsUnique();
        builder.HasIndex(d => new { d.OdsCode, d.AgreementId });
    }
}
