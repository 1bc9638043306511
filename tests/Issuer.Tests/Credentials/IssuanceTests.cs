using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Credentials.StatusList;
using Passport.Issuer.Tests.Catalogue;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Testing;
using static Passport.Issuer.Tests.Credentials.Issuing;
using static Passport.Issuer.Tests.Staff.Api;
using TokenStatusList = Passport.Credentials.StatusList.StatusList;

namespace Passport.Issuer.Tests.Credentials;

public sealed class IssuanceTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    [Fact]
    public async Task Hr_issues_a_credential_of_every_type_and_each_verifies_with_the_organisations_key()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        foreach (var type in Samples.Types)
        {
            var response = await IssueAsync(hr, staffId, type, Samples.Claims(type));

            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{type}: {await response.Content.ReadAsStringAsync()}");
            var body = await JsonAsync(response);
            var id = Guid.Parse((string)body["id"]!);
            Assert.Equal("active", (string?)body["status"]);
            var stored = await app.WithDbAsync(db => db.Credentials.AsNoTracking().SingleAsync(c => c.Id == id));
            var verified = await VerifyAsync(app, ods, stored.SdJwt!);
            Assert.Equal($"{IssuerApp.PublicBaseUrl}vct/{type}", verified.Vct);
            Assert.Equal($"{IssuerApp.PublicBaseUrl}status/{ods}/{stored.StatusListId}", verified.Status!.Uri);
            Assert.Equal(stored.StatusIndex, verified.Status.Index);
            Assert.Equal(stored.ExpiresAt.ToUnixTimeSeconds(), verified.ExpiresAt!.Value.ToUnixTimeSeconds());
            Assert.False(verified.KeyBound);
            Assert.NotNull(verified.Claims["provenance"]?["assurance_policy"]);
        }
    }

    [Fact]
    public async Task Each_immunisation_is_its_own_disclosure()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);

        var response = await IssueAsync(app.ClientFor(ods, PassportRoles.HrIssuer), staffId, "occupational-health", Samples.Claims("occupational-health"));

        var id = Guid.Parse((string)(await JsonAsync(response))["id"]!);
        var stored = await app.WithDbAsync(db => db.Credentials.AsNoTracking().SingleAsync(c => c.Id == id));
        var verified = await VerifyAsync(app, ods, stored.SdJwt!);
        Assert.Equal(3, verified.Disclosures.Count(d => d.IsArrayElement));
        Assert.Contains(verified.Disclosures, d => d.Name == "clearance");
        Assert.DoesNotContain(verified.Disclosures, d => d.Name == "provenance");
        Assert.Equal("hepatitis_b", (string?)verified.Claims["immunisations"]![0]!["disease"]);
    }

    [Fact]
    public async Task Issuing_publishes_CredentialIssued_and_records_who_issued_it_and_why()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        await using var probe = await BusProbe<CredentialIssued>.StartAsync(app.Broker);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer, subject: "hr-jane");

        var response = await IssueAsync(hr, staffId, "training", Samples.Claims("training"), reason: "Annual fire safety completed");

        var id = Guid.Parse((string)(await JsonAsync(response))["id"]!);
        var evt = await probe.NextAsync(e => e.CredentialId == id);
        Assert.Equal(ods, evt.Message.IssuerOdsCode);
        Assert.Equal(staffId, evt.Message.StaffId);
        Assert.Equal("training", evt.Message.CredentialType);
        var audit = await app.WithDbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.CredentialId == id));
        Assert.Equal(("issued", "hr-jane", "Annual fire safety completed", staffId), (audit.Action, audit.Actor, audit.Reason, audit.StaffId!.Value));
    }

    [Fact]
    public async Task The_same_source_reference_returns_the_existing_credential_and_changes_nothing()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var first = await IssueAsync(hr, staffId, "training", Samples.Claims("training"), sourceReference: "LMS-1001");
        var before = await CountsAsync(ods);
        var outboxBefore = await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync());

        var claims = Samples.Claims("training");
        claims["provider"] = "Someone else";
        var again = await IssueAsync(hr, staffId, "training", claims, sourceReference: "LMS-1001");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((string?)(await JsonAsync(first))["id"], (string?)(await JsonAsync(again))["id"]);
        Assert.Equal("Trust Learning", (string?)(await JsonAsync(again))["claims"]!["provider"]);
        Assert.Equal(before, await CountsAsync(ods));
        Assert.Equal(outboxBefore, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync()));
        // The same reference names a different record for a different type.
        Assert.Equal(HttpStatusCode.Created, (await IssueAsync(hr, staffId, "competency", Samples.Claims("competency"), sourceReference: "LMS-1001")).StatusCode);
    }

    [Fact]
    public async Task A_source_reference_used_for_another_member_of_staff_is_a_conflict()
    {
        var ods = await NewOrganisationAsync(app);
        var first = await NewStaffAsync(app, ods);
        var second = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        await IssueAsync(hr, first, "dbs", Samples.Claims("dbs"), sourceReference: "DBS-77");

        var response = await IssueAsync(hr, second, "dbs", Samples.Claims("dbs"), sourceReference: "DBS-77");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("source_reference_in_use", (await ProblemAsync(response)).Code);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_each_field_and_issues_nothing()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);

        var badTraining = await IssueAsync(hr, staffId, "training", new JsonObject { ["subject"] = "juggling", ["completed_on"] = "31/01/2025", ["exp"] = 1 });
        var badPin = await IssueAsync(hr, staffId, "professional-registration", new JsonObject { ["register"] = "NMC", ["registration_number"] = "AB123456" });
        var expired = await IssueAsync(hr, staffId, "training", new JsonObject { ["subject"] = "fire_safety", ["completed_on"] = "2019-01-01", ["expires_on"] = "2020-01-01" });
        var unknownType = await IssueAsync(hr, staffId, "astronaut", new JsonObject());
        var noType = await hr.PostAsJsonAsync(Url($"/api/staff/{staffId}/credentials"), new { claims = new { } });
        var malformed = await hr.PostAsync(Url($"/api/staff/{staffId}/credentials"), new StringContent("{\"type\":", Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (badTraining.StatusCode, (await ProblemAsync(badTraining)).Code));
        Assert.Equal(["claims.completed_on", "claims.exp", "claims.subject"], (await ProblemAsync(badTraining)).Fields);
        Assert.Equal(["claims.registration_number"], (await ProblemAsync(badPin)).Fields);
        Assert.Equal(["claims.expires_on"], (await ProblemAsync(expired)).Fields);
        Assert.Equal((HttpStatusCode.BadRequest, "unknown_credential_type"), (unknownType.StatusCode, (await ProblemAsync(unknownType)).Code));
        Assert.Equal(["type"], (await ProblemAsync(noType)).Fields);
        Assert.Equal((HttpStatusCode.BadRequest, "malformed_request"), (malformed.StatusCode, (await ProblemAsync(malformed)).Code));
        Assert.Equal((0, 0), await CountsAsync(ods));
    }

    [Fact]
    public async Task A_batch_issues_the_good_items_and_reports_each_bad_one_by_index_and_field()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var otherStaff = await NewStaffAsync(app, other);
        var badTraining = Samples.Claims("training");
        badTraining["subject"] = "juggling";
        var batch = new JsonObject
        {
            ["items"] = new JsonArray(
                Item(staffId, "training", Samples.Claims("training"), "LMS-1"),
                Item(staffId, "training", badTraining, "LMS-2"),
                Item(Guid.NewGuid(), "training", Samples.Claims("training"), "LMS-3"),
                Item(staffId, "dbs", Samples.Claims("dbs"), "DBS-1"),
                Item(staffId, "training", Samples.Claims("training"), "LMS-1"),
                new JsonObject { ["type"] = "training", ["claims"] = Samples.Claims("training") },
                Item(otherStaff, "training", Samples.Claims("training"), "LMS-4")),
        };

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/credentials/batch"), batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal((2, 1, 4), ((int)body["issued"]!, (int)body["existing"]!, (int)body["failed"]!));
        var results = body["results"]!.AsArray();
        Assert.Equal(["issued", "invalid", "notfound", "issued", "existing", "invalid", "notfound"], results.Select(r => (string?)r!["outcome"]));
        Assert.Equal(Enumerable.Range(0, 7), results.Select(r => (int)r!["index"]!));
        Assert.Equal(["claims.subject"], results[1]!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("staff_not_found", (string?)results[2]!["code"]);
        Assert.Equal((string?)results[0]!["credentialId"], (string?)results[4]!["credentialId"]);
        Assert.Equal(["staffId"], results[5]!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal((2, 2), await CountsAsync(ods));
        Assert.Equal((0, 0), await CountsAsync(other));

        var rerun = await JsonAsync(await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/credentials/batch"), batch));
        Assert.Equal((0, 3), ((int)rerun["issued"]!, (int)rerun["existing"]!));
        Assert.Equal((2, 2), await CountsAsync(ods));
    }

    [Fact]
    public async Task A_large_batch_is_issued_in_one_go_with_distinct_status_slots()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var items = new JsonArray();
        for (var i = 0; i < 600; i++)
            items.Add(Item(staffId, "training", Samples.Claims("training"), $"LMS-BULK-{i}"));

        var response = await app.ClientFor(ods, PassportRoles.HrIssuer).PostAsJsonAsync(Url("/api/credentials/batch"), new JsonObject { ["items"] = items });

        Assert.Equal(600, (int)(await JsonAsync(response))["issued"]!);
        var slots = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods).Select(c => new { c.StatusListId, c.StatusIndex }).ToListAsync());
        Assert.Equal(600, slots.Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_overlapping_batches_issue_each_source_reference_once_with_its_event_and_audit_entry()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var outboxBefore = await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.MessageType == typeof(CredentialIssued).FullName));
        // Four HR users at once, each batch overlapping the next by 100 references: they clash on source references and
        // on the organisation's status list, and must neither fail nor issue anything twice.
        var batches = Enumerable.Range(0, 4).Select(k =>
        {
            var items = new JsonArray();
            for (var i = k * 200; i < k * 200 + 300; i++)
                items.Add(Item(staffId, "training", Samples.Claims("training"), $"LMS-RACE-{i}"));
            return app.ClientFor(ods, PassportRoles.HrIssuer, subject: $"hr-{k}").PostAsJsonAsync(Url("/api/credentials/batch"), new JsonObject { ["items"] = items });
        });

        var responses = await Task.WhenAll(batches);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(JsonAsync));
        Assert.Equal((900, 300), (bodies.Sum(b => (int)b["issued"]!), bodies.Sum(b => (int)b["existing"]!)));
        var stored = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods)
            .Select(c => new { c.SourceReference, c.StatusListId, c.StatusIndex, c.SdJwt }).ToListAsync());
        Assert.Equal(900, stored.Select(c => c.SourceReference).Distinct().Count());
        Assert.Equal(900, stored.Select(c => (c.StatusListId, c.StatusIndex)).Distinct().Count());
        Assert.All(stored, c => Assert.False(string.IsNullOrEmpty(c.SdJwt)));
        Assert.Equal((900, 900), await CountsAsync(ods));
        Assert.Equal(outboxBefore + 900, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.MessageType == typeof(CredentialIssued).FullName)));
        // Every result names a stored credential, and the overlapping ones agree on which.
        var ids = bodies.SelectMany(b => b["results"]!.AsArray()).Select(r => Guid.Parse((string)r!["credentialId"]!)).Distinct().ToList();
        Assert.Equal(900, ids.Count);
    }

    [Fact]
    public async Task Reissuing_replaces_a_credential_and_withdraws_the_old_one_as_superseded()
    {
        var ods = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var hr = app.ClientFor(ods, PassportRoles.HrIssuer);
        var oldId = (string)(await JsonAsync(await IssueAsync(hr, staffId, "training", Samples.Claims("training"))))["id"]!;
        await using var probe = await BusProbe<CredentialRevoked>.StartAsync(app.Broker);

        var corrected = Samples.Claims("training");
        corrected["expires_on"] = Today(400);
        var response = await hr.PostAsJsonAsync(Url($"/api/credentials/{oldId}/reissue"), new { claims = corrected, reason = "Wrong expiry date" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var replacement = await JsonAsync(response);
        Assert.Equal(oldId, (string?)replacement["replacesId"]);
        Assert.Equal(Today(400), (string?)replacement["claims"]!["expires_on"]);
        var old = await JsonAsync(await hr.GetAsync(Url($"/api/credentials/{oldId}")));
        Assert.Equal(("withdrawn", "superseded"), ((string?)old["status"], (string?)old["statusReason"]));
        Assert.Equal(StatusType.Invalid, await StoredStatusAsync(Guid.Parse(oldId)));
        Assert.Equal("superseded", (await probe.NextAsync(e => e.CredentialId == Guid.Parse(oldId))).Message.Reason);

        var twice = await hr.PostAsJsonAsync(Url($"/api/credentials/{oldId}/reissue"), new { });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("already_reissued", (await ProblemAsync(twice)).Code);

        // With no body, the same facts are re-issued.
        var same = await hr.PostAsync(Url($"/api/credentials/{(string)replacement["id"]!}/reissue"), null);
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.Equal(Today(400), (string?)(await JsonAsync(same))["claims"]!["expires_on"]);
    }

    [Fact]
    public async Task Issuing_needs_a_token_an_hr_role_and_the_callers_own_staff()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var staffId = await NewStaffAsync(app, ods);
        var credentialId = (string)(await JsonAsync(await IssueAsync(app.ClientFor(ods, PassportRoles.HrIssuer), staffId, "training", Samples.Claims("training"))))["id"]!;
        var batch = new JsonObject { ["items"] = new JsonArray(Item(staffId, "training", Samples.Claims("training"), null)) };

        foreach (var client in new[] { app.Anonymous(), app.ClientFor(ods, PassportRoles.Staff, staffId), app.ClientFor(ods, PassportRoles.Verifier) })
        {
            var expected = client.DefaultRequestHeaders.Authorization is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
            Assert.Equal(expected, (await IssueAsync(client, staffId, "training", Samples.Claims("training"))).StatusCode);
            Assert.Equal(expected, (await client.PostAsJsonAsync(Url("/api/credentials/batch"), batch)).StatusCode);
            Assert.Equal(expected, (await client.GetAsync(Url($"/api/credentials/{credentialId}"))).StatusCode);
            Assert.Equal(expected, (await client.GetAsync(Url($"/api/staff/{staffId}/credentials"))).StatusCode);
            Assert.Equal(expected, (await client.PostAsJsonAsync(Url($"/api/credentials/{credentialId}/reissue"), new { })).StatusCode);
        }

        var intruder = app.ClientFor(other, PassportRoles.HrIssuer);
        Assert.Equal("staff_not_found", (await ProblemAsync(await IssueAsync(intruder, staffId, "training", Samples.Claims("training")))).Code);
        Assert.Equal("credential_not_found", (await ProblemAsync(await intruder.GetAsync(Url($"/api/credentials/{credentialId}")))).Code);
        Assert.Equal("credential_not_found", (await ProblemAsync(await intruder.PostAsJsonAsync(Url($"/api/credentials/{credentialId}/reissue"), new { }))).Code);
        var batchResult = await JsonAsync(await intruder.PostAsJsonAsync(Url("/api/credentials/batch"), batch));
        Assert.Equal("notfound", (string?)batchResult["results"]![0]!["outcome"]);
        Assert.Equal((1, 1), await CountsAsync(ods));
        Assert.Equal((0, 0), await CountsAsync(other));
        var listed = JsonNode.Parse(await (await app.ClientFor(ods, PassportRoles.OrganisationAdmin).GetAsync(Url($"/api/staff/{staffId}/credentials"))).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(credentialId, (string?)Assert.Single(listed)!["id"]);
    }

    [Fact]
    public async Task A_member_of_staff_reads_only_their_own_passport()
    {
        var ods = await NewOrganisationAsync(app);
        var other = await NewOrganisationAsync(app);
        var subject = $"login-{Guid.NewGuid():N}";
        var staffId = await NewStaffAsync(app, ods, StaffBody(subject: subject));
        var linked = await NewStaffAsync(app, ods, StaffBody(subject: "login-linked"));
        var otherStaff = await NewStaffAsync(app, other, StaffBody(subject: $"login-{Guid.NewGuid():N}"));
        await IssueAsync(app.ClientFor(ods, PassportRoles.HrIssuer), staffId, "training", Samples.Claims("training"));
        await IssueAsync(app.ClientFor(other, PassportRoles.HrIssuer), otherStaff, "training", Samples.Claims("training"));

        var own = await app.ClientFor(ods, PassportRoles.Staff, staffId, subject).GetAsync(Url("/api/me/passport"));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var passport = await JsonAsync(own);
        Assert.Equal(staffId.ToString(), (string?)passport["staffId"]);
        var credential = Assert.Single(passport["credentials"]!.AsArray())!;
        Assert.Equal(("training", "active", false), ((string?)credential["type"], (string?)credential["status"], (bool)credential["expired"]!));
        await VerifyAsync(app, ods, (string)credential["sdJwt"]!);

        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, otherStaff).GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(other, PassportRoles.Staff, staffId, subject).GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, linked, subject: "someone-else").GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff, staffId, subject: "login-linked").GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(ods, PassportRoles.Staff, linked, subject: "login-linked").GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientFor(ods, PassportRoles.Staff, subject: "login-linked").GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.Staff).GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(ods, PassportRoles.HrIssuer, staffId).GetAsync(Url("/api/me/passport"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync(Url("/api/me/passport"))).StatusCode);
    }

    private static JsonObject Item(Guid staffId, string type, JsonObject claims, string? sourceReference) => new()
    {
        ["staffId"] = staffId.ToString(), ["type"] = type, ["claims"] = claims, ["sourceReference"] = sourceReference,
    };

    private Task<(int Credentials, int Audit)> CountsAsync(string ods) => app.WithDbAsync(async db =>
        (await db.Credentials.CountAsync(c => c.OdsCode == ods), await db.Audit.CountAsync(a => a.OdsCode == ods)));

    private Task<byte> StoredStatusAsync(Guid credentialId) => app.WithDbAsync(async db =>
    {
        var c = await db.Credentials.AsNoTracking().SingleAsync(x => x.Id == credentialId);
        var list = await db.StatusLists.AsNoTracking().SingleAsync(l => l.Id == c.StatusListId);
        return TokenStatusList.FromBytes(list.Data, list.Bits, list.Size)[c.StatusIndex];
    });
}
