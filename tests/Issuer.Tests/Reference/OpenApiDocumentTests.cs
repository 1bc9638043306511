using System.Text.Json.Nodes;
using Passport.Testing;

namespace Passport.Issuer.Tests.Reference;

/// <summary>The Issuer's OpenAPI document explains every operation: what it does, who may call it, how it fails.</summary>
public sealed class OpenApiDocumentTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private async Task<string> DocumentAsync()
    {
        using var client = app.Anonymous();
        return await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
    }

    [Fact]
    public async Task Every_operation_has_a_summary_a_role_or_an_anonymous_marker_and_an_error_response()
    {
        var gaps = OpenApiChecks.Gaps(JsonNode.Parse(await DocumentAsync())!.AsObject());

        Assert.True(gaps.Count == 0, string.Join('\n', gaps));
    }

    [Fact]
    public async Task The_document_passes_Redoclys_recommended_rules_without_an_error_or_a_warning()
    {
        var (errors, warnings, report) = await OpenApiChecks.LintAsync(await DocumentAsync(), TimeSpan.FromSeconds(120));

        Assert.True(errors == 0 && warnings == 0, report);
    }

    [Fact]
    public async Task Fields_with_a_fixed_set_of_values_list_them_as_the_code_has_them()
    {
        var schemas = JsonNode.Parse(await DocumentAsync())!["components"]!["schemas"]!;

        Assert.Equal(["issued_in_error", "update_pending", "no_longer_valid"], AllowedValues(schemas, "StatusChangeRequest", "reason"));
        Assert.Equal(["active", "suspended", "withdrawn"], AllowedValues(schemas, "CredentialResponse", "status"));
        Assert.Equal(["active", "suspended", "withdrawn"], AllowedValues(schemas, "CredentialStatusResponse", "status"));
        Assert.Equal(["duplicate", "incorrect", "not_wanted", "other"], AllowedValues(schemas, "ReplyRequest", "reason"));
        Assert.Equal(["awaiting_approval", "approved", "declined", "active", "ended"], AllowedValues(schemas, "HomeDeploymentResponse", "state"));
    }

    private static List<string> AllowedValues(JsonNode schemas, string schema, string property) =>
        [.. schemas[schema]!["properties"]![property]!["enum"]?.AsArray().Select(v => (string)v!) ?? []];
}
