using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Audit;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Tests.Offers;

public sealed class StaffReplyTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private async Task<(string Ods, Guid StaffId, Guid CredentialId, string Subject)> OfferedAsync(bool offer = true)
    {
        var ods = Seed.NewOds();
        var (staffId, credentialId) = await Seed.CredentialAsync(app, ods, "training");
        var subject = $"login-{Guid.NewGuid():N}";
        await app.WithDbAsync(async db =>
        {
            var staff = await db.Staff.SingleAsync(s => s.Id == staffId);
            staff.Subject = subject;
            await db.SaveChangesAsync();
            return 0;
        });
        if (offer)
        {
            using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
            using var offered = await hr.PostAsJsonAsync($"/api/staff/{staffId}/offers", new { });
            Assert.Equal(HttpStatusCode.Created, offered.StatusCode);
        }
        return (ods, staffId, credentialId, subject);
    }

    [Fact]
    public async Task A_member_of_staff_rejects_a_credential_in_the_browser_and_hr_sees_and_resolves_it()
    {
        var (ods, staffId, credentialId, subject) = await OfferedAsync();
        using var me = app.ClientFor(ods, PassportRoles.Staff, staffId, subject);

        using var rejected = await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply",
            new { reply = "rejected", reason = "incorrect", description = "My surname is misspelt" });

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        using var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var open = (await hr.GetFromJsonAsync<JsonArray>("/api/notifications?unresolved=true"))!
            .Single(n => n!["credentialId"]!.GetValue<Guid>() == credentialId)!;
        Assert.Equal(("credential_deleted", "incorrect", "My surname is misspelt"),
            (open["event"]!.GetValue<string>(), open["reason"]!.GetValue<string>(), open["description"]!.GetValue<string>()));
        using var resolve = await hr.PostAsJsonAsync($"/api/notifications/{open["id"]!.GetValue<Guid>()}/resolve", new { resolution = "Re-issued." });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var audit = await app.WithDbAsync(db => db.Audit.Where(a => a.CredentialId == credentialId && a.Action == AuditActions.Rejected).SingleAsync());
        Assert.Equal("incorrect: My surname is misspelt", audit.Reason);
    }

    [Fact]
    public async Task Accepting_after_a_rejection_replaces_the_reply_without_a_second_record()
    {
        var (ods, staffId, credentialId, subject) = await OfferedAsync();
        using var me = app.ClientFor(ods, PassportRoles.Staff, staffId, subject);

        using var rejected = await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply = "rejected", reason = "duplicate" });
        using var accepted = await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply = "accepted" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (rejected.StatusCode, accepted.StatusCode));
        var stored = await app.WithDbAsync(db => db.WalletNotifications.AsNoTracking().Where(n => n.CredentialId == credentialId).ToListAsync());
        Assert.Equal("credential_accepted", Assert.Single(stored).Event);
    }

    [Theory]
    [InlineData(null, null, null, "reply")]
    [InlineData("maybe", null, null, "reply")]
    [InlineData("rejected", null, null, "reason")]
    [InlineData("rejected", "bored", null, "reason")]
    [InlineData("rejected", "other", " ", "description")]
    public async Task A_reply_without_a_choice_or_a_reason_is_refused_field_by_field(string? reply, string? reason, string? description, string field)
    {
        var (ods, staffId, credentialId, subject) = await OfferedAsync();
        using var me = app.ClientFor(ods, PassportRoles.Staff, staffId, subject);

        using var response = await me.PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply, reason, description });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task Nobody_replies_for_another_persons_credential_or_one_never_offered()
    {
        var (ods, staffId, credentialId, subject) = await OfferedAsync();
        var (_, _, otherCredential, _) = await OfferedAsync();
        var (notOfferedOds, notOfferedStaff, neverOffered, notOfferedSubject) = await OfferedAsync(offer: false);
        using var me = app.ClientFor(ods, PassportRoles.Staff, staffId, subject);

        using var someoneElses = await me.PostAsJsonAsync($"/api/me/credentials/{otherCredential}/reply", new { reply = "accepted" });
        using var unlinked = await app.ClientFor(ods, PassportRoles.Staff, staffId, "not-linked").PostAsJsonAsync($"/api/me/credentials/{credentialId}/reply", new { reply = "accepted" });
        using var notOffered = await app.ClientFor(notOfferedOds, PassportRoles.Staff, notOfferedStaff, notOfferedSubject)
            .PostAsJsonAsync($"/api/me/credentials/{neverOffered}/reply", new { reply = "accepted" });

        Assert.Equal(HttpStatusCode.NotFound, someoneElses.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unlinked.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, notOffered.StatusCode);
    }
}
