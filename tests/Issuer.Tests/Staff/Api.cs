using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Staff;

/// <summary>Sets up organisations and staff through the API, as HR does.</summary>
internal static class Api
{
    public static Uri Url(string path) => new(path, UriKind.Relative);

    public static string Today(int days = 0) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string NewAssignment() => Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture) + "-1";

    public static async Task<string> NewOrganisationAsync(IssuerApp app)
    {
        var ods = Seed.NewOds();
        var response = await app.ClientFor(ods, PassportRoles.OrganisationAdmin).PutAsJsonAsync(Url("/api/organisation"), new { name = $"Test Trust {ods}" });
        response.EnsureSuccessStatusCode();
        return ods;
    }

    public static object StaffBody(string? assignment = null, string given = "Amara", string family = "Okafor", string? subject = null) => new
    {
        givenName = given,
        familyName = family,
        dateOfBirth = "1990-04-01",
        assignmentNumber = assignment ?? NewAssignment(),
        staffGroup = "Nursing and Midwifery Registered",
        jobTitle = "Staff Nurse",
        subject,
        registrations = new[] { new { register = "NMC", number = "12A3456B", status = "registered", expiresOn = Today(300) } },
    };

    public static async Task<Guid> NewStaffAsync(IssuerApp app, string ods, object? body = null)
    {
        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/staff"), body ?? StaffBody());
        response.EnsureSuccessStatusCode();
        return Guid.Parse((string)(await JsonAsync(response))["id"]!);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>The problem's <c>code</c>, and the names of the fields in its <c>errors</c>.</summary>
    public static async Task<(string? Code, string[] Fields)> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        var fields = problem["errors"] is JsonObject errors ? [.. errors.Select(e => e.Key).Order(StringComparer.Ordinal)] : Array.Empty<string>();
        return ((string?)problem["code"], fields);
    }
}
