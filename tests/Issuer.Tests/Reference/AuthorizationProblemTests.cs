using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Reference;

/// <summary>A caller who is refused is told why in a problem: no token, a token refused, or a role the operation needs.</summary>
public sealed class AuthorizationProblemTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static readonly Uri HrOperation = new("/api/staff", UriKind.Relative);

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task A_call_without_an_access_token_is_told_to_send_one()
    {
        using var client = app.Anonymous();

        using var response = await client.GetAsync(HrOperation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await ProblemAsync(response);
        Assert.Equal("not_authenticated", problem.GetProperty("code").GetString());
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_access_token_is_answered_with_invalid_token_and_no_internals()
    {
        using var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            app.Tokens.Mint(Seed.NewOds(), [PassportRoles.HrIssuer], lifetime: TimeSpan.FromMinutes(-10)));

        using var response = await client.GetAsync(HrOperation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        var problem = await ProblemAsync(response);
        Assert.Equal("invalid_token", problem.GetProperty("code").GetString());
        Assert.DoesNotContain("IDX", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_of_staff_calling_an_HR_operation_is_told_which_roles_it_needs()
    {
        using var client = app.ClientFor(Seed.NewOds(), PassportRoles.Staff, Guid.NewGuid());

        using var response = await client.GetAsync(HrOperation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal("missing_role", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(PassportRoles.HrIssuer, detail, StringComparison.Ordinal);
        Assert.Contains(PassportRoles.OrganisationAdmin, detail, StringComparison.Ordinal);
    }
}
