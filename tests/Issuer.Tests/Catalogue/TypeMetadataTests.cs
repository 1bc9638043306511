using System.Net;
using System.Text.Json.Nodes;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Catalogue;

public sealed class TypeMetadataTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task Every_type_publishes_its_type_metadata_at_its_vct()
    {
        foreach (var type in Samples.Types)
        {
            var vct = $"{IssuerApp.PublicBaseUrl}vct/{type}";
            var response = await app.Anonymous().GetAsync(new Uri(vct));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var metadata = await JsonAsync(response);
            Assert.Equal(vct, (string?)metadata["vct"]);
            Assert.False(string.IsNullOrEmpty((string?)metadata["name"]));
            Assert.Equal("en-GB", (string?)metadata["display"]![0]!["locale"]);
            var claims = metadata["claims"]!.AsArray();
            Assert.All(claims, c =>
            {
                Assert.Contains((string?)c!["sd"], new[] { "always", "allowed", "never" });
                Assert.NotEmpty(c["path"]!.AsArray());
                Assert.False(string.IsNullOrEmpty((string?)c["display"]![0]!["label"]));
            });
            Assert.Contains(claims, c => Path(c!) == "provenance.origin_system" && (string?)c!["sd"] == "never");
        }
    }

    [Fact]
    public async Task Type_metadata_says_each_immunisation_is_always_selectively_disclosable()
    {
        var metadata = await JsonAsync(await app.Anonymous().GetAsync(Url("/vct/occupational-health")));

        var claims = metadata["claims"]!.AsArray();
        var element = claims.Single(c => Path(c!) == "immunisations.*");
        Assert.Equal("always", (string?)element!["sd"]);
        Assert.Contains(claims, c => Path(c!) == "immunisations.*.disease");
        Assert.Equal("always", (string?)claims.Single(c => Path(c!) == "clearance")!["sd"]);
    }

    [Fact]
    public async Task An_unknown_type_has_no_metadata()
    {
        var response = await app.Anonymous().GetAsync(Url("/vct/astronaut"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_credential_type", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task The_catalogue_lists_every_type_and_the_input_it_takes_to_signed_in_callers()
    {
        var anonymous = await app.Anonymous().GetAsync(Url("/api/catalogue"));
        var response = await app.ClientFor(Seed.NewOds(), PassportRoles.HrIssuer).GetAsync(Url("/api/catalogue"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var types = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(Samples.Types.Order(StringComparer.Ordinal), types.Select(t => (string)t!["type"]!).Order(StringComparer.Ordinal));
        var training = types.Single(t => (string?)t!["type"] == "training")!;
        var subject = training["claims"]!.AsArray().Single(c => (string?)c!["name"] == "subject")!;
        Assert.True((bool)subject["required"]!);
        Assert.Contains("fire_safety", subject["choices"]!.AsArray().Select(c => (string?)c));
        var expires = training["claims"]!.AsArray().Single(c => (string?)c!["name"] == "expires_on")!;
        Assert.False((bool)expires["required"]!);
    }

    private static string Path(JsonNode claim) => string.Join('.', claim["path"]!.AsArray().Select(p => (string?)p ?? "*"));
}
