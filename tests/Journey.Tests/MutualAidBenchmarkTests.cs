using System.Diagnostics;
using System.Globalization;
using System.Net;
using Passport.ServiceDefaults;
using Xunit.Abstractions;
using static Passport.Journey.Tests.MutualAid;

namespace Passport.Journey.Tests;

/// <summary>
/// One mutual-aid request from HR raising it to every person's decision recorded at home, consent given by the test and each
/// person presenting from their own wallet (real PostgreSQL and RabbitMQ). The time is printed, not asserted; the test asserts
/// only that every decision arrives. <c>PASSPORT_AID_PEOPLE=1000</c> makes it the measurement run of docs/benchmarks.md (default 10).
/// </summary>
public sealed class MutualAidBenchmarkTests(TwoServices services, ITestOutputHelper output) : IClassFixture<TwoServices>
{
    [Fact]
    public async Task Every_person_on_a_large_request_is_decided_after_consenting_and_presenting()
    {
        var size = int.TryParse(Environment.GetEnvironmentVariable("PASSPORT_AID_PEOPLE"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10;
        var aid = new MutualAid(services);
        var (home, host) = (NewOds("H"), NewOds("V"));
        await aid.RegisterHomeAsync(home);
        var agreementId = await aid.HostAgreesAsync(host, home);
        var setup = Stopwatch.StartNew();
        using var lanes = new SemaphoreSlim(8);
        var people = (await Task.WhenAll(Enumerable.Range(0, size).Select(async _ =>
        {
            await lanes.WaitAsync();
            try
            {
                return await aid.PersonAsync(home);
            }
            finally
            {
                lanes.Release();
            }
        }))).ToList();
        output.WriteLine($"Set-up: {size} people issued and holding their credentials in {setup.Elapsed.TotalSeconds:F1} s (not measured).");
        try
        {
            var clock = Stopwatch.StartNew();
            var request = await aid.RaiseAsync(home, host, agreementId, new { staffGroup = MutualAid.StaffGroup });
            var raised = clock.Elapsed;
            var requestId = request["id"]!.GetValue<Guid>();
            var members = MemberIds(request);
            Assert.Equal(size, members.Count);
            await Task.WhenAll(people.Select(async person =>
            {
                await lanes.WaitAsync();
                try
                {
                    var memberId = members[person.StaffId];
                    await Ok(await aid.Staff(home, person).PostAsync(Url($"/api/me/mutual-aid/{memberId}/consent"), null), HttpStatusCode.OK);
                    await aid.PresentAsync(person.Wallet, person.Held, await aid.WalletLinkAsync(home, person, memberId));
                }
                finally
                {
                    lanes.Release();
                }
            }));
            var presented = clock.Elapsed;
            var hr = services.Issuer.As(home, PassportRoles.HrIssuer);
            await Eventually(async () =>
            {
                var view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{requestId}")), HttpStatusCode.OK);
                return view["counts"]!["accepted"]!.GetValue<int>() == size;
            }, "every decision to be recorded at home", seconds: 600);
            output.WriteLine($"{size} people: raised in {raised.TotalSeconds:F1} s; all consented and presented by {presented.TotalSeconds:F1} s; "
                + $"every decision recorded at home at {clock.Elapsed.TotalSeconds:F1} s. Load average: {File.ReadAllText("/proc/loadavg").Trim()}");
        }
        finally
        {
            people.ForEach(p => p.Dispose());
        }
    }
}
