using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Hardening;

public sealed class RequestValidationTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static async Task<JsonObject> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static void AssertValidationProblem(JsonObject problem, string field, string sentence)
    {
        Assert.Equal(
            (400, "Invalid request", "https://passport.nhs.uk/problems/validation_failed", "validation_failed", "Some fields are missing or invalid; see errors."),
            ((int)problem["status"]!, (string?)problem["title"], (string?)problem["type"], (string?)problem["code"], (string?)problem["detail"]));
        var errors = problem["errors"]!.AsObject();
        Assert.Equal([field], errors.Select(e => e.Key));
        Assert.Equal([sentence], errors[field]!.AsArray().Select(e => (string?)e));
    }

    [Fact]
    public async Task A_query_parameter_out_of_range_is_named_with_our_sentence_in_our_problem_shape()
    {
        var ods = await NewOrganisationAsync(app);

        var response = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).GetAsync(Url("/api/messages?pageSize=0"));

        AssertValidationProblem(await ProblemOf(response), "pageSize", "Give a page size from 1 to 200.");
    }

    [Fact]
    public async Task A_body_field_too_long_is_named_in_camel_case_with_our_sentence_in_our_problem_shape()
    {
        var ods = await NewOrganisationAsync(app);

        var response = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = new string('a', 201) });

        AssertValidationProblem(await ProblemOf(response), "name", "Give the organisation's name, at most 200 characters.");
    }

    [Fact]
    public async Task Claims_of_nested_json_in_a_checked_request_are_not_walked_into_a_server_error()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var claims = new JsonObject { ["a"] = new JsonArray(new JsonArray(1, 2), new JsonObject { ["b"] = new JsonArray("c") }) };

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"),
            new JsonObject { ["type"] = "training", ["claims"] = claims, ["provenance"] = claims.DeepClone(), ["reason"] = new string('r', 1001) });

        AssertValidationProblem(await ProblemOf(response), "reason", "Keep the reason under 1,000 characters.");
    }
}
