using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Passport.ServiceDefaults;
using static Passport.Journey.Tests.MutualAid;

namespace Passport.Journey.Tests;

/// <summary>What HR chooses from to raise a request: the hosts' agreements that name its organisation, and its staff filtered by staff group and job title.</summary>
public sealed class MutualAidChoosingTests(TwoServices services) : IClassFixture<TwoServices>
{
    private readonly MutualAid _aid = new(services);

    [Fact]
    public async Task Hr_sees_only_the_agreements_that_name_its_organisation_as_a_party_with_their_host_and_roles()
    {
        var (home, host, otherHome) = (NewOds("H"), NewOds("V"), NewOds("H"));
        var ours = await _aid.HostAgreesAsync(host, home, hostMayRaise: true);
        var theirs = await _aid.HostAgreesAsync(host, otherHome);
        // A party whose code starts with ours is another organisation.
        var lookalike = await _aid.HostAgreesAsync(host, home + "9");

        var list = await services.Verifier.As(home, PassportRoles.HrIssuer).GetFromJsonAsync<JsonArray>(Url("/api/partner-agreements"));

        var agreement = Assert.Single(list!, a => a!["id"]!.GetValue<Guid>() == ours)!;
        Assert.Equal(host, agreement["hostOdsCode"]!.GetValue<string>());
        Assert.Equal($"Mutual aid {host}-{home}", agreement["title"]!.GetValue<string>());
        Assert.Equal([Role], agreement["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.True(agreement["hostMayRaiseMutualAid"]!.GetValue<bool>());
        Assert.DoesNotContain(list!, a => a!["id"]!.GetValue<Guid>() == theirs || a!["id"]!.GetValue<Guid>() == lookalike);
        Assert.DoesNotContain((await services.Verifier.As(host, PassportRoles.HrIssuer).GetFromJsonAsync<JsonArray>(Url("/api/partner-agreements")))!,
            a => a!["id"]!.GetValue<Guid>() == ours);
        Assert.Equal(HttpStatusCode.Forbidden, (await services.Verifier.As(home, PassportRoles.Staff).GetAsync(Url("/api/partner-agreements"))).StatusCode);
    }

    [Fact]
    public async Task Hr_lists_its_staff_to_pick_filtered_by_staff_group_and_job_title()
    {
        var home = NewOds("H");
        await _aid.RegisterHomeAsync(home);
        var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
        async Task<Guid> Staff(string family, string group, string title) =>
            (await Ok(await hr.PostAsJsonAsync(Url("/api/staff"), new
            {
                givenName = "Sam", familyName = family, dateOfBirth = "1990-04-01", assignmentNumber = $"A-{Guid.NewGuid():N}"[..14], staffGroup = group, jobTitle = title,
            }), HttpStatusCode.Created))["id"]!.GetValue<Guid>();
        var nurse = await Staff("Adebayo", "Nursing and Midwifery Registered", "Staff Nurse");
        var sister = await Staff("Brown", "Nursing and Midwifery Registered", "Ward Sister");
        var porter = await Staff("Chen", "Estates and Ancillary", "Porter");

        var all = await Ok(await hr.GetAsync(Url("/api/mutual-aid-requests/staff")), HttpStatusCode.OK);
        Assert.Equal([nurse, sister, porter], all["items"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()));
        Assert.Equal(["Estates and Ancillary", "Nursing and Midwifery Registered"], all["staffGroups"]!.AsArray().Select(g => g!.GetValue<string>()));
        Assert.Equal(["Porter", "Staff Nurse", "Ward Sister"], all["jobTitles"]!.AsArray().Select(g => g!.GetValue<string>()));

        var nurses = await Ok(await hr.GetAsync(Url("/api/mutual-aid-requests/staff?staffGroup=Nursing%20and%20Midwifery%20Registered")), HttpStatusCode.OK);
        Assert.Equal([nurse, sister], nurses["items"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()));
        var sisters = await Ok(await hr.GetAsync(Url("/api/mutual-aid-requests/staff?staffGroup=Nursing%20and%20Midwifery%20Registered&jobTitle=Ward%20Sister")), HttpStatusCode.OK);
        Assert.Equal([sister], sisters["items"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()));
        var paged = await Ok(await hr.GetAsync(Url("/api/mutual-aid-requests/staff?page=2&pageSize=2")), HttpStatusCode.OK);
        Assert.Equal([porter], paged["items"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()));
        Assert.Equal(3, paged["total"]!.GetValue<int>());

        var other = await Ok(await services.Issuer.As(NewOds("O"), PassportRoles.HrIssuer).GetAsync(Url("/api/mutual-aid-requests/staff")), HttpStatusCode.OK);
        Assert.Empty(other["items"]!.AsArray());
        var bad = await hr.GetAsync(Url("/api/mutual-aid-requests/staff?pageSize=5000"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("validation_failed", (await bad.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }
}
