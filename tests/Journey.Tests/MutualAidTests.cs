using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;
using Passport.Verifier.Deployments;
using static Passport.Journey.Tests.MutualAid;

namespace Passport.Journey.Tests;

/// <summary>
/// Mutual aid across both services on PostgreSQL and RabbitMQ: HR at home asks for many named staff, each consents or
/// declines (themselves or through HR), each consenting person presents from their wallet to the host's request, the host
/// starts every accepted deployment in one action, and home sees per person what happened.
/// </summary>
public sealed class MutualAidTests(TwoServices services) : IClassFixture<TwoServices>
{
    private readonly MutualAid _aid = new(services);

    [Fact]
    public async Task Fifty_people_with_mixed_consent_declines_and_failures_end_with_only_the_accepted_deployed()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var agreementId = await _aid.HostAgreesAsync(host, home);
        var people = new List<AidPerson>();
        for (var i = 0; i < 50; i++)
            people.Add(await _aid.PersonAsync(home, enhancedDbs: i % 10 != 9));
        try
        {
            // Picked by staff group: everyone of this home organisation's nurses.
            var request = await _aid.RaiseAsync(home, host, agreementId, new { staffGroup = MutualAid.StaffGroup });
            var requestId = request["id"]!.GetValue<Guid>();
            var members = MemberIds(request);
            Assert.Equal(50, members.Count);
            Assert.All(request["members"]!.AsArray(), m => Assert.Equal("waiting_for_consent", m!["state"]!.GetValue<string>()));

            // Ten decline themselves; five tell HR by phone that they consent; the rest consent in their passport.
            var decliners = people.Take(10).ToList();
            var byPhone = people.Skip(10).Take(5).ToList();
            var consenting = people.Skip(10).ToList();
            foreach (var person in decliners)
                await Ok(await _aid.Staff(home, person).PostAsync(Url($"/api/me/mutual-aid/{members[person.StaffId]}/decline"), null), HttpStatusCode.OK);
            var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
            foreach (var person in byPhone)
            {
                await Ok(await hr.PostAsJsonAsync(Url($"/api/mutual-aid-requests/{requestId}/members/{members[person.StaffId]}/answer"),
                    new { answer = "consent", method = "phone", note = "Rang the ward" }), HttpStatusCode.OK);
            }
            foreach (var person in consenting.Skip(5))
                await Ok(await _aid.Staff(home, person).PostAsync(Url($"/api/me/mutual-aid/{members[person.StaffId]}/consent"), null), HttpStatusCode.OK);

            // Every consenting person opens the host's wallet link from their passport and presents.
            foreach (var person in consenting)
                await _aid.PresentAsync(person.Wallet, person.Held, await _aid.WalletLinkAsync(home, person, members[person.StaffId]));

            JsonObject view = [];
            await Eventually(async () =>
            {
                view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{requestId}")), HttpStatusCode.OK);
                return view["counts"]!["accepted"]!.GetValue<int>() + view["counts"]!["notAccepted"]!.GetValue<int>() == 40;
            }, "every consenting person's decision to reach home");
            var expectedRejected = consenting.Where(p => people.IndexOf(p) % 10 == 9).Select(p => p.StaffId).ToHashSet();
            Assert.Equal(10, view["counts"]!["declined"]!.GetValue<int>());
            Assert.Equal(40 - expectedRejected.Count, view["counts"]!["accepted"]!.GetValue<int>());
            foreach (var member in view["members"]!.AsArray())
            {
                var staffId = member!["staffId"]!.GetValue<Guid>();
                var state = member["state"]!.GetValue<string>();
                if (decliners.Any(d => d.StaffId == staffId))
                    Assert.Equal("declined", state);
                else if (expectedRejected.Contains(staffId))
                {
                    Assert.Equal("not_accepted", state);
                    Assert.Contains("dbs", member["reason"]!.GetValue<string>(), StringComparison.Ordinal);
                }
                else
                    Assert.Equal("accepted", state);
            }

            // The host sees the consenting people by name, each decided; the rejected ones with why in words.
            var verifier = services.Verifier.As(host, PassportRoles.Verifier);
            var hosted = await Ok(await verifier.GetAsync(Url($"/api/mutual-aid/{requestId}")), HttpStatusCode.OK);
            Assert.Equal(40, hosted["members"]!.AsArray().Count);
            Assert.All(hosted["members"]!.AsArray(), m => Assert.StartsWith("Okafor-", m!["familyName"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.DoesNotContain(hosted["members"]!.AsArray(), m => decliners.Any(d => d.StaffId == m!["staffId"]!.GetValue<Guid>()));
            Assert.All(hosted["members"]!.AsArray().Where(m => m!["state"]!.GetValue<string>() == "not_accepted"),
                m => Assert.False(string.IsNullOrWhiteSpace(m!["reason"]!.GetValue<string>())));

            // One action starts every accepted deployment; asking again starts nobody twice.
            await Ok(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = "Royal Sussex County Hospital" }), HttpStatusCode.Accepted);
            await Eventually(async () =>
            {
                var h = await Ok(await verifier.GetAsync(Url($"/api/mutual-aid/{requestId}")), HttpStatusCode.OK);
                return h["startAll"]!.GetValue<string>() == "done";
            }, "start-all to finish");
            await Ok(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = "Royal Sussex County Hospital" }), HttpStatusCode.Accepted);
            await Eventually(async () =>
            {
                view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{requestId}")), HttpStatusCode.OK);
                return view["counts"]!["deployed"]!.GetValue<int>() == 40 - expectedRejected.Count;
            }, "home to see every accepted person deployed");

            await using var db = VerifierDb();
            var memberIds = members.Values.ToList();
            var deployments = await db.Set<Deployment>().AsNoTracking().Where(d => d.HostOdsCode == host).ToListAsync();
            Assert.Equal(40 - expectedRejected.Count, deployments.Count);
            Assert.All(deployments, d => Assert.Contains(d.Id, memberIds));
            Assert.All(deployments, d => Assert.Equal(DeploymentState.Active, d.State));
            Assert.DoesNotContain(deployments, d => decliners.Any(p => p.StaffId == d.StaffId) || expectedRejected.Contains(d.StaffId));
            var started = await db.Set<Passport.Messaging.OutboxMessage>().AsNoTracking()
                .Where(o => o.MessageType == typeof(Passport.Contracts.DeploymentStarted).FullName).Select(o => o.Body).ToListAsync();
            Assert.Equal(deployments.Count, started.Count(b => deployments.Any(d => b.Contains(d.Id.ToString(), StringComparison.Ordinal))));

            // HR's recorded consent is in the person's history: who recorded it and how.
            var history = await hr.GetFromJsonAsync<JsonArray>(Url($"/api/staff/{byPhone[0].StaffId}/history"));
            var consent = history!.Single(e => e!["action"]!.GetValue<string>() == "mutual_aid_consented");
            Assert.Contains("by phone", consent!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotEqual(byPhone[0].Subject, consent["actor"]!.GetValue<string>());
            var hrMember = view["members"]!.AsArray().Single(m => m!["staffId"]!.GetValue<Guid>() == byPhone[0].StaffId)!;
            Assert.Equal("phone", hrMember["answerMethod"]!.GetValue<string>());
        }
        finally
        {
            people.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public async Task A_person_who_declines_is_never_asked_to_present_and_cannot_change_their_answer()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var agreementId = await _aid.HostAgreesAsync(host, home);
        using var declining = await _aid.PersonAsync(home);
        using var consenting = await _aid.PersonAsync(home);
        var request = await _aid.RaiseAsync(home, host, agreementId, new { staffIds = new[] { declining.StaffId, consenting.StaffId } });
        var requestId = request["id"]!.GetValue<Guid>();
        var members = MemberIds(request);

        await Ok(await _aid.Staff(home, declining).PostAsync(Url($"/api/me/mutual-aid/{members[declining.StaffId]}/decline"), null), HttpStatusCode.OK);
        await Ok(await _aid.Staff(home, consenting).PostAsync(Url($"/api/me/mutual-aid/{members[consenting.StaffId]}/consent"), null), HttpStatusCode.OK);
        await _aid.WalletLinkAsync(home, consenting, members[consenting.StaffId]);

        var again = await _aid.Staff(home, declining).PostAsync(Url($"/api/me/mutual-aid/{members[declining.StaffId]}/consent"), null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("aid_already_answered", (await again.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        var mine = await Ok(await _aid.Staff(home, declining).GetAsync(Url($"/api/me/mutual-aid/{members[declining.StaffId]}")), HttpStatusCode.OK);
        Assert.Equal("declined", mine["state"]!.GetValue<string>());
        Assert.Null(mine["walletLink"]?.GetValue<string>());

        var verifier = services.Verifier.As(host, PassportRoles.Verifier);
        var hosted = await Ok(await verifier.GetAsync(Url($"/api/mutual-aid/{requestId}")), HttpStatusCode.OK);
        Assert.Equal([consenting.StaffId], hosted["members"]!.AsArray().Select(m => m!["staffId"]!.GetValue<Guid>()));
        var ask = await verifier.PostAsync(Url($"/api/mutual-aid/members/{members[declining.StaffId]}/presentation-request"), null);
        Assert.Equal(HttpStatusCode.NotFound, ask.StatusCode);
        var start = await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = "Ward 5" });
        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        Assert.Equal("no_accepted_members", (await start.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credentials_of_another_person_are_not_accepted_for_a_member()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var agreementId = await _aid.HostAgreesAsync(host, home);
        using var asked = await _aid.PersonAsync(home);
        using var other = await _aid.PersonAsync(home);
        var request = await _aid.RaiseAsync(home, host, agreementId, new { staffIds = new[] { asked.StaffId } });
        var memberId = MemberIds(request)[asked.StaffId];
        await Ok(await _aid.Staff(home, asked).PostAsync(Url($"/api/me/mutual-aid/{memberId}/consent"), null), HttpStatusCode.OK);

        await _aid.PresentAsync(other.Wallet, other.Held, await _aid.WalletLinkAsync(home, asked, memberId));

        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        await Eventually(async () =>
        {
            var view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{request["id"]}")), HttpStatusCode.OK);
            var member = view["members"]![0]!;
            return member["state"]!.GetValue<string>() == "not_accepted" && member["reason"]!.GetValue<string>().Contains("another person", StringComparison.Ordinal);
        }, "home to see the member not accepted on another person's credentials");
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_problem_naming_what_to_fix()
    {
        var (home, host) = (NewOds("H"), NewOds("V"));
        await _aid.RegisterHomeAsync(home);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        using var person = await _aid.PersonAsync(home);

        async Task Refused(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
            Assert.Equal(code, body!["code"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(body["detail"]?.GetValue<string>()));
            if (field is not null)
                Assert.True(body["errors"]!.AsObject().ContainsKey(field), body.ToJsonString());
        }

        var good = new JsonObject { ["hostOdsCode"] = host, ["agreementId"] = Guid.NewGuid(), ["role"] = "registered_nurse", ["start"] = Day(1), ["end"] = Day(10) };
        JsonObject With(string key, JsonNode? value)
        {
            var body = good.DeepClone().AsObject();
            body[key] = value;
            return body;
        }

        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), good), HttpStatusCode.BadRequest, "validation_failed", "staffIds");
        var picked = With("staffIds", new JsonArray(person.StaffId.ToString()));
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), With("hostOdsCode", home).Merge("staffIds", new JsonArray(person.StaffId.ToString()))), HttpStatusCode.BadRequest, "validation_failed", "hostOdsCode");
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), picked.Merge("end", Day(-2))), HttpStatusCode.BadRequest, "validation_failed", "end");
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), With("staffIds", new JsonArray(Guid.NewGuid().ToString()))), HttpStatusCode.BadRequest, "validation_failed", "staffIds");
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), With("csv", "name\nAmara")), HttpStatusCode.BadRequest, "validation_failed", "csv");
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), With("csv", "assignment_number\nNOBODY-1")), HttpStatusCode.BadRequest, "validation_failed", "csv");
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), With("staffGroup", "Nobody has this group")), HttpStatusCode.BadRequest, "validation_failed", "staffGroup");
        await Refused(await hr.PostAsJsonAsync(Url("/api/mutual-aid-requests"), With("role", "nurse; drop table")), HttpStatusCode.BadRequest, "validation_failed", "role");
        Assert.Empty((await hr.GetFromJsonAsync<JsonArray>(Url("/api/mutual-aid-requests")))!);

        var request = await _aid.RaiseAsync(home, host, Guid.NewGuid(), new { staffIds = new[] { person.StaffId } });
        var (requestId, memberId) = (request["id"]!.GetValue<Guid>(), MemberIds(request)[person.StaffId]);
        var answer = Url($"/api/mutual-aid-requests/{requestId}/members/{memberId}/answer");
        await Refused(await hr.PostAsJsonAsync(answer, new { answer = "maybe", method = "phone" }), HttpStatusCode.BadRequest, "validation_failed", "answer");
        await Refused(await hr.PostAsJsonAsync(answer, new { answer = "consent", method = "self" }), HttpStatusCode.BadRequest, "validation_failed", "method");
        await Refused(await hr.PostAsJsonAsync(Url($"/api/mutual-aid-requests/{requestId}/members/{Guid.NewGuid()}/answer"), new { answer = "consent", method = "phone" }),
            HttpStatusCode.NotFound, "aid_member_not_found");
        await Refused(await services.Issuer.As(NewOds("O"), PassportRoles.HrIssuer).PostAsJsonAsync(answer, new { answer = "consent", method = "phone" }),
            HttpStatusCode.NotFound, "aid_member_not_found");
        await Refused(await hr.GetAsync(Url($"/api/mutual-aid-requests/{Guid.NewGuid()}")), HttpStatusCode.NotFound, "aid_request_not_found");

        using var stranger = await _aid.PersonAsync(home);
        await Refused(await _aid.Staff(home, stranger).PostAsync(Url($"/api/me/mutual-aid/{memberId}/consent"), null), HttpStatusCode.NotFound, "aid_member_not_found");

        var verifier = services.Verifier.As(host, PassportRoles.Verifier);
        await Refused(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = "" }), HttpStatusCode.BadRequest, "validation_failed", "hostSite");
        await Refused(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{Guid.NewGuid()}/start"), new { hostSite = "Ward 5" }), HttpStatusCode.NotFound, "aid_request_not_found");
        await Refused(await verifier.GetAsync(Url($"/api/mutual-aid/{Guid.NewGuid()}")), HttpStatusCode.NotFound, "aid_request_not_found");
        await Refused(await verifier.PostAsync(Url($"/api/mutual-aid/members/{Guid.NewGuid()}/presentation-request"), null), HttpStatusCode.NotFound, "aid_member_not_found");
    }

    private VerifierDbContext VerifierDb() => new(new DbContextOptionsBuilder<VerifierDbContext>()
        .UseNpgsql(services.VerifierDatabase.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options);
}

internal static class JsonObjectExtensions
{
    public static JsonObject Merge(this JsonObject body, string key, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        copy[key] = value;
        return copy;
    }
}
