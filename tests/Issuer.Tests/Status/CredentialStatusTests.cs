using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Credentials.StatusList;
using Passport.ServiceDefaults;
using Passport.Testing;
using TokenStatusList = Passport.Credentials.StatusList.StatusList;

namespace Passport.Issuer.Tests.Status;

public sealed class CredentialStatusTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private static Uri Url(string path) => new(path, UriKind.Relative);

    private async Task<byte> StoredStatusAsync(Guid credentialId) => await app.WithDbAsync(async db =>
    {
        var c = await db.Credentials.AsNoTracking().SingleAsync(x => x.Id == credentialId);
        var list = await db.StatusLists.AsNoTracking().SingleAsync(l => l.Id == c.StatusListId);
        return TokenStatusList.FromBytes(list.Data, list.Bits, list.Size)[c.StatusIndex];
    });

    [Fact]
    public async Task Hr_withdraws_a_credential_and_the_status_list_and_event_say_so()
    {
        var ods = Seed.NewOds();
        var (staffId, credentialId) = await Seed.CredentialAsync(app, ods);
        await using var probe = await BusProbe<CredentialRevoked>.StartAsync(app.Broker);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "no_longer_valid", note = "Left the trust" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        var read = await app.ClientFor(ods, PassportRoles.HrIssuer).GetFromJsonAsync<JsonObject>(Url($"/api/credentials/{credentialId}"));
        Assert.Equal(("withdrawn", "withdrawn"), ((string?)answer!["status"], (string?)read!["status"]));
        Assert.Equal(StatusType.Invalid, await StoredStatusAsync(credentialId));
        var evt = await probe.NextAsync(e => e.CredentialId == credentialId);
        Assert.Equal(ods, evt.Message.IssuerOdsCode);
        Assert.Equal(staffId, evt.Message.StaffId);
        Assert.Equal("no_longer_valid", evt.Message.Reason);
        Assert.NotNull(evt.MessageId);
        var audit = await app.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.CredentialId == credentialId).ToListAsync());
        Assert.Contains(audit, a => a.Action == "withdrawn" && a.Reason == "no_longer_valid: Left the trust");
    }

    [Fact]
    public async Task A_withdrawal_with_the_longest_note_allowed_is_recorded_not_a_server_error()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);
        var note = new string('n', 1000);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "no_longer_valid", note });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StatusType.Invalid, await StoredStatusAsync(credentialId));
        var audit = await app.WithDbAsync(db => db.Audit.AsNoTracking().Where(a => a.CredentialId == credentialId && a.Action == "withdrawn").SingleAsync());
        Assert.Equal(("no_longer_valid: " + note)[..1000], audit.Reason);
    }

    [Fact]
    public async Task Suspend_then_reinstate_sets_and_clears_the_suspended_bits_with_events()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);
        await using var suspended = await BusProbe<CredentialSuspended>.StartAsync(app.Broker);
        await using var reinstated = await BusProbe<CredentialReinstated>.StartAsync(app.Broker);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsJsonAsync(Url($"/api/credentials/{credentialId}/suspend"), new { reason = "update_pending" })).StatusCode);
        Assert.Equal(StatusType.Suspended, await StoredStatusAsync(credentialId));
        await suspended.NextAsync(e => e.CredentialId == credentialId);

        Assert.Equal(HttpStatusCode.OK, (await hr.PostAsJsonAsync(Url($"/api/credentials/{credentialId}/reinstate"), new { })).StatusCode);
        Assert.Equal(StatusType.Valid, await StoredStatusAsync(credentialId));
        await reinstated.NextAsync(e => e.CredentialId == credentialId);
    }

    [Fact]
    public async Task A_second_withdrawal_is_a_conflict_and_changes_nothing()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        await hr.PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "issued_in_error" });
        var outboxBefore = await app.WithDbAsync(db => db.Set<Messaging.OutboxMessage>().CountAsync());

        var second = await hr.PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "no_longer_valid" });

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("invalid_status_transition", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(outboxBefore, await app.WithDbAsync(db => db.Set<Messaging.OutboxMessage>().CountAsync()));
        var reason = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.Id == credentialId).Select(c => c.StatusReason).SingleAsync());
        Assert.Equal("issued_in_error", reason);
    }

    [Theory]
    [InlineData("suspend", "{\"reason\":\"because\"}")]
    [InlineData("revoke", "{}")]
    public async Task A_missing_or_unknown_reason_is_refused_naming_the_field(string action, string body)
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsync(Url($"/api/credentials/{credentialId}/{action}"), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(StatusType.Valid, await StoredStatusAsync(credentialId));
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_not_a_server_error()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsync(Url($"/api/credentials/{credentialId}/revoke"), new StringContent("{\"reason\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Another_organisation_cannot_withdraw_your_credential()
    {
        var ods = Seed.NewOds();
        var (_, credentialId) = await Seed.CredentialAsync(app, ods);

        var response = await app.ClientFor(Seed.NewOds(), PassportRoles.HrIssuer).PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), new { reason = "issued_in_error" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(StatusType.Valid, await StoredStatusAsync(credentialId));
    }

    [Fact]
    public async Task Staff_and_anonymous_callers_cannot_withdraw_credentials()
    {
        var ods = Seed.NewOds();
        var (staffId, credentialId) = await Seed.CredentialAsync(app, ods);
        var body = new { reason = "issued_in_error" };

        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId).PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsJsonAsync(Url($"/api/credentials/{credentialId}/revoke"), body)).StatusCode);
        Assert.Equal(StatusType.Valid, await StoredStatusAsync(credentialId));
    }
}
