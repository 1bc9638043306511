using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Catalogue;

/// <summary>SD-JWT VC Type Metadata for a <c>vct</c> (draft-ietf-oauth-sd-jwt-vc, "Type Metadata"): names, claims, their paths and disclosability.</summary>
internal static class GetTypeMetadata
{
    private const string Locale = "en-GB";

    public static Results<JsonHttpResult<JsonObject>, ProblemHttpResult> Handle(string type, IOptions<IssuerOptions> issuer, IOptions<CatalogueOptions> catalogue)
    {
        var definition = CredentialCatalogue.Find(type);
        if (definition is null)
            return Problems.NotFound("unknown_credential_type", $"There is no credential type '{type}'. Known types: {CredentialCatalogue.TypeList}.");

        var claims = new JsonArray();
        foreach (var field in definition.Fields)
            AddClaim(claims, [field.Name], field);
        claims.Add(Claim([CredentialType.ProvenanceClaim], "Provenance", "Where the facts came from and how they were checked.", Disclosability.Never, mandatory: true));
        foreach (var field in definition.ProvenanceFields)
            claims.Add(Claim([CredentialType.ProvenanceClaim, field.Name], field.Label, field.Description, Disclosability.Never, mandatory: true));

        return TypedResults.Json(new JsonObject
        {
            ["vct"] = CredentialCatalogue.VctFor(issuer.Value, catalogue.Value, definition.Key),
            ["name"] = definition.Name,
            ["description"] = definition.Description,
            ["display"] = new JsonArray(new JsonObject { ["locale"] = Locale, ["name"] = definition.Name, ["description"] = definition.Description }),
            ["claims"] = claims,
        });
    }

    private static void AddClaim(JsonArray claims, JsonNode?[] path, ClaimField field)
    {
        claims.Add(Claim(path, field.Label, field.Description, field.Sd, field.Required));
        if (field.Items is null)
            return;
        // A null path component selects every element of the array.
        JsonNode?[] elements = [.. path.Select(p => p?.DeepClone()), null];
        claims.Add(Claim(elements, field.Label, null, field.ItemsDisclosable ? Disclosability.Always : Disclosability.Never, mandatory: false));
        foreach (var item in field.Items)
            AddClaim(claims, [.. elements.Select(p => p?.DeepClone()), item.Name], item);
    }

    private static JsonObject Claim(JsonNode?[] path, string label, string? description, Disclosability sd, bool mandatory)
    {
        var display = new JsonObject { ["locale"] = Locale, ["label"] = label };
        if (description is not null)
            display["description"] = description;
        var claim = new JsonObject
        {
            ["path"] = new JsonArray(path),
            ["display"] = new JsonArray(display),
            ["sd"] = sd.ToString().ToLowerInvariant(),
        };
        if (mandatory)
            claim["mandatory"] = true;
        return claim;
    }
}
