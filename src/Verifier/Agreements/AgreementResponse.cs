namespace Passport.Verifier.Agreements;

public sealed record AgreementResponse(
    Guid Id, string OdsCode, string Title, int Version, int CurrentVersion, DateTimeOffset CreatedAt, DateTimeOffset VersionCreatedAt,
    string VersionCreatedBy, AgreementDocument Document);

public sealed record AgreementSummary(Guid Id, string Title, int CurrentVersion, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

internal static class AgreementMapping
{
    public static AgreementResponse ToResponse(this Agreement agreement, AgreementVersion version) => new(
        agreement.Id, agreement.OdsCode, agreement.Title, version.Version, agreement.CurrentVersion, agreement.CreatedAt, version.CreatedAt,
        version.CreatedBy, version.ReadDocument());
}
