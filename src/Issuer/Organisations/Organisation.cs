namespace Passport.Issuer.Organisations;

/// <summary>An issuing organisation (tenant), known by its ODS code; its issuer identifier is derived from it.</summary>
public sealed class Organisation
{
    public required string OdsCode { get; init; }
    public required string Name { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
}
