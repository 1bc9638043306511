using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Credentials.Jose;
using Passport.Issuer.Tests.Offers;
using Passport.ServiceDefaults;
using static Passport.Issuer.Tests.Staff.Api;

namespace Passport.Issuer.Tests.Hardening;

/// <summary>A body a lenient reader would half-read (not UTF-8, a member twice, control characters, null) is refused, naming the field.</summary>
public sealed class StrictBodyTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static ByteArrayContent Json(params object[] parts)
    {
        var content = new ByteArrayContent([.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : p is byte b ? [b] : (byte[])p)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<JsonObject> RefusedAsync(HttpResponseMessage response, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, (string?)problem["code"]);
        return problem;
    }

    [Fact]
    public async Task An_organisation_body_with_two_name_members_is_refused_and_the_name_is_kept()
    {
        var ods = await NewOrganisationAsync(app);
        using var admin = app.ClientFor(ods, PassportRoles.OrganisationAdmin);

        using var response = await admin.PutAsync(Url("/api/organisation"), Json("{\"name\":\"Test Trust\",\"name\":\"Renamed\"}"));

        var problem = await RefusedAsync(response, "duplicate_member");
        Assert.Equal("$.name", (string?)problem["field"]);
        var organisation = await app.WithDbAsync(db => db.Organisations.AsNoTracking().SingleAsync(o => o.OdsCode == ods));
        Assert.Equal($"Test Trust {ods}", organisation.Name);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("invalid utf-8")]
    [InlineData("a string")]
    public async Task An_offer_body_that_is_null_or_not_utf8_is_refused_rather_than_read_as_an_offer_of_everything(string body)
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        using var response = await hr.PostAsync(Url($"/api/staff/{staffId}/offers"), body switch
        {
            "null" => Json("null"),
            "a string" => Json("\"everything\""),
            _ => Json("{\"credentialIds\":[\"", (byte)0xFF, "\"]}"),
        });

        await RefusedAsync(response, body == "invalid utf-8" ? "invalid_utf8" : "body_not_object");
        Assert.False(await app.WithDbAsync(db => db.Offers.AnyAsync(o => o.StaffId == staffId)));
    }

    [Theory]
    [InlineData("\\u0000")]
    [InlineData("\\u001b")]
    [InlineData("\\u007f")]
    public async Task A_staff_name_with_a_control_character_is_refused_naming_the_field_and_nothing_is_stored(string control)
    {
        var ods = await NewOrganisationAsync(app);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var body = JsonSerializerText(StaffBody(family: "Okafor")).Replace("\"Okafor\"", $"\"Oka{control}for\"", StringComparison.Ordinal);

        using var response = await hr.PostAsync(Url("/api/staff"), Json(body));

        var problem = await RefusedAsync(response, "control_character");
        Assert.Equal("$.familyName", (string?)problem["field"]);
        Assert.False(await app.WithDbAsync(db => db.Staff.AnyAsync(s => s.OdsCode == ods)));
    }

    [Fact]
    public async Task A_staff_body_with_invalid_utf8_in_a_member_name_is_refused()
    {
        var ods = await NewOrganisationAsync(app);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        using var response = await hr.PostAsync(Url("/api/staff"), Json("{\"", (byte)0xFF, "\":1}"));

        await RefusedAsync(response, "invalid_utf8");
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0007")]
    [InlineData("\u001b[31m")]
    public async Task A_csv_field_with_a_control_character_is_refused_naming_its_line_and_column(string control)
    {
        var ods = await NewOrganisationAsync(app);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var csv = "record_type,source_ref,assignment_number,given_name,family_name,date_of_birth,staff_group,job_title\n"
            + $"staff,ESR-1,{NewAssignment()},Amara,Oka{control}for,1990-04-01,Nursing and Midwifery Registered,Staff Nurse\n";

        using var response = await hr.PostAsync(Url("/api/imports"), new StringContent(csv, Encoding.UTF8, "text/csv"));

        var problem = await RefusedAsync(response, "control_character");
        Assert.Equal(2, (int)problem["line"]!);
        Assert.Equal("family_name", (string?)problem["field"]);
        Assert.False(await app.WithDbAsync(db => db.ImportJobs.AnyAsync(j => j.OdsCode == ods)));
    }

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static string JsonSerializerText(object value) => System.Text.Json.JsonSerializer.Serialize(value, Web);

    private async Task<(string Issuer, TestWallet Wallet, string Token)> RedeemedAsync()
    {
        var ods = Seed.NewOds();
        var (staffId, _) = await Seed.CredentialAsync(app, ods);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        using var created = await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/offers"), new { });
        var offer = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var wallet = new TestWallet(app.Anonymous());
        var resolved = await wallet.ResolveOfferAsync((string)offer["offerUri"]!);
        var issuer = (string)offer["credentialIssuer"]!;
        return (issuer, wallet, await wallet.AccessTokenAsync(issuer, TestWallet.PreAuthorizedCode(resolved), (string)offer["txCode"]!));
    }

    private static HttpRequestMessage Raw(string url, string token, HttpContent content)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(url)) { Content = content };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return message;
    }

    [Theory]
    [InlineData("credential")]
    [InlineData("notification")]
    public async Task A_wallet_body_that_is_not_utf8_is_an_invalid_request_not_a_server_error(string endpoint)
    {
        var (issuer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            using var anonymous = app.Anonymous();
            using var member = await anonymous.SendAsync(Raw($"{issuer}/{endpoint}", token, Json("{\"", (byte)0xFF, "\":1}")));
            using var value = await anonymous.SendAsync(Raw($"{issuer}/{endpoint}", token, Json("{\"credential_configuration_id\":\"tr", (byte)0xE2, (byte)0x82, "\"}")));

            foreach (var response in new[] { member, value })
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                var error = await TestWallet.ErrorOf(response);
                Assert.Equal(endpoint == "credential" ? "invalid_credential_request" : "invalid_notification_request", error);
            }
        }
    }

    [Theory]
    [InlineData("header")]
    [InlineData("payload")]
    public async Task A_key_proof_part_that_is_not_utf8_is_an_invalid_proof_naming_the_part(string part)
    {
        var (issuer, wallet, token) = await RedeemedAsync();
        using (wallet)
        {
            var nonce = await wallet.NonceAsync(issuer);
            var good = wallet.Proof(issuer, nonce).Split('.');
            var bad = Base64UrlStrict.Encode([.. "{\""u8.ToArray(), 0xFF, .. "\":1}"u8.ToArray()]);
            var proof = part == "header" ? $"{bad}.{good[1]}.{good[2]}" : $"{good[0]}.{bad}.{good[2]}";

            using var response = await wallet.CredentialAsync(issuer, token, TestWallet.Request("training", proof));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("invalid_proof", (string?)body["error"]);
            Assert.Contains($"key proof {part}", (string?)body["error_description"], StringComparison.Ordinal);
        }
    }
}
