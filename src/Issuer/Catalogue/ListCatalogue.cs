using Microsoft.Extensions.Options;

namespace Passport.Issuer.Catalogue;

/// <summary>Every credential type HR can issue, with the input each one takes, so a person can fill it in.</summary>
internal static class ListCatalogue
{
    public sealed record CatalogueFieldResponse(
        string Name, string Label, string Kind, bool Required, bool Input, string SelectivelyDisclosable, string? Description,
        IReadOnlyList<string>? Choices, string? Format, int? MaxLength, IReadOnlyList<CatalogueFieldResponse>? Items);

    public sealed record CatalogueTypeResponse(
        string Type, string Vct, string Name, string Description, string AssurancePolicy, string ExpiryRule,
        IReadOnlyList<CatalogueFieldResponse> Claims, IReadOnlyList<CatalogueFieldResponse> Provenance);

    public static IReadOnlyList<CatalogueTypeResponse> Handle(IOptions<IssuerOptions> issuer, IOptions<CatalogueOptions> catalogue) =>
        [.. CredentialCatalogue.Types.Select(t => new CatalogueTypeResponse(
            t.Key, CredentialCatalogue.VctFor(issuer.Value, catalogue.Value, t.Key), t.Name, t.Description, t.AssurancePolicy, t.ExpiryRule,
            [.. t.Fields.Select(ToResponse)], [.. t.ProvenanceFields.Select(ToResponse)]))];

    private static CatalogueFieldResponse ToResponse(ClaimField f) => new(
        f.Name, f.Label, f.KindName, f.Required && f.Default is null, f.IsInput, f.Sd.ToString().ToLowerInvariant(),
        f.IsInput ? f.Description : f.Description ?? "Taken from the staff or organisation record.",
        f.Choices, f.PatternHint, f.Kind == ClaimKind.Text ? f.MaxLength : null, f.Items?.Select(ToResponse).ToList());
}
