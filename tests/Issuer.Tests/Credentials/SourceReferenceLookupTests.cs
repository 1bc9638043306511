using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.Issuer.Tests.Catalogue;
using Passport.ServiceDefaults;
using Passport.Testing;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Credentials;

public sealed class SourceReferenceLookupTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task One_source_reference_under_two_types_is_two_credentials_and_each_repeat_finds_its_own()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        JsonObject Batch(params (string Type, string Reference)[] items) => new()
        {
            ["items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
            {
                ["staffId"] = staffId.ToString(), ["type"] = i.Type, ["claims"] = Samples.Claims(i.Type), ["sourceReference"] = i.Reference,
            })]),
        };

        var first = await JsonAsync(await hr.PostAsJsonAsync(Url("/api/credentials/batch"), Batch(("training", "ESR-1"), ("dbs", "ESR-1"), ("training", "ESR-2"))));
        var again = await JsonAsync(await hr.PostAsJsonAsync(Url("/api/credentials/batch"),
            Batch(("dbs", "ESR-1"), ("training", "ESR-2"), ("training", "ESR-1"), ("dbs", "ESR-2"))));

        Assert.Equal((3, 0), ((int)first["issued"]!, (int)first["existing"]!));
        Assert.Equal((1, 3), ((int)again["issued"]!, (int)again["existing"]!));
        string Id(JsonObject body, int n) => (string)body["results"]![n]!["credentialId"]!;
        Assert.Equal([Id(first, 1), Id(first, 2), Id(first, 0)], [Id(again, 0), Id(again, 1), Id(again, 2)]);
        Assert.Equal(4, new[] { Id(first, 0), Id(first, 1), Id(first, 2), Id(again, 3) }.Distinct().Count());
    }
}
