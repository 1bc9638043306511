using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Passport.Verifier.Presentations;

public enum PresentationRequestState
{
    Open,
    Answered,
    Declined,
    Expired,
}

/// <summary>
/// An OpenID4VP request for the credentials an agreement requires of a role: a signed request object fetched by reference,
/// a fresh single-use nonce, and at most one answer.
/// </summary>
public sealed class PresentationRequest
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string OdsCode { get; init; }
    public required Guid AgreementId { get; init; }
    public required int AgreementVersion { get; init; }
    public required string Role { get; init; }
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required string Nonce { get; init; }

    /// <summary>The client identifier the request object carries; the KB-JWT's aud must be exactly this.</summary>
    public required string ClientId { get; init; }

    /// <summary>The signed request object (JAR) served at the request_uri.</summary>
    public required string RequestObject { get; init; }

    public Uri? WebhookUrl { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set once, when the wallet answers or declines; a concurrency token, so two answers cannot both be taken.</summary>
    public DateTimeOffset? AnsweredAt { get; private set; }

    public Guid? DecisionId { get; private set; }

    /// <summary>The OAuth error a wallet sent instead of presentations (for example access_denied when the person declined).</summary>
    public string? WalletError { get; private set; }

    public PresentationRequestState StateAt(DateTimeOffset now) =>
        DecisionId is not null ? PresentationRequestState.Answered
        : AnsweredAt is not null ? PresentationRequestState.Declined
        : now >= ExpiresAt ? PresentationRequestState.Expired
        : PresentationRequestState.Open;

    public bool TryAnswer(Guid decisionId, DateTimeOffset now)
    {
        if (StateAt(now) != PresentationRequestState.Open)
            return false;
        AnsweredAt = now;
        DecisionId = decisionId;
        return true;
    }

    public bool TryDecline(string error, DateTimeOffset now)
    {
        if (StateAt(now) != PresentationRequestState.Open)
            return false;
        AnsweredAt = now;
        WalletError = error.Length > 64 ? error[..64] : error;
        return true;
    }
}

internal sealed class PresentationRequestConfiguration : IEntityTypeConfiguration<PresentationRequest>
{
    public void Configure(EntityTypeBuilder<PresentationRequest> builder)
    {
        builder.ToTable("presentation_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.OdsCode).HasMaxLength(10);
        builder.Property(r => r.Role).HasMaxLength(64);
        builder.Property(r => r.Nonce).HasMaxLength(64);
        builder.Property(r => r.ClientId).HasMaxLength(200);
        builder.Property(r => r.CreatedBy).HasMaxLength(200);
        builder.Property(r => r.WalletError).HasMaxLength(64);
        builder.Property(r => r.WebhookUrl).HasMaxLength(2000);
        builder.Property(r => r.AnsweredAt).IsConcurrencyToken();
        builder.HasIndex(r => r.Nonce).IsUnique();
        builder.HasIndex(r => r.OdsCode);
    }
}
