using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Passport.Contracts;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier.Data;
using Passport.Verifier.Deployments;
using Passport.Verifier.MutualAid;
using static Passport.Journey.Tests.MutualAid;

namespace Passport.Journey.Tests;

/// <summary>The host is stopped in the middle of starting every accepted deployment; the next instance finishes it, starting nobody twice.</summary>
public sealed class MutualAidRestartTests : IAsyncLifetime
{
    private readonly TwoServices _services = new();

    public async Task InitializeAsync()
    {
        // One deployment per batch with a pause between, so stopping the host lands part-way through; resume checks often.
        _services.Overrides["Verifier:MutualAid:StartBatchSize"] = "1";
        _services.Overrides["Verifier:MutualAid:StartBatchPause"] = "00:00:00.400";
        _services.Overrides["Verifier:MutualAid:ResumeInterval"] = "00:00:00.500";
        await _services.InitializeAsync();
    }

    public Task DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task Start_all_stopped_part_way_by_a_restart_resumes_and_starts_everyone_exactly_once()
    {
        var aid = new MutualAid(_services);
        var (home, host) = (NewOds("H"), NewOds("V"));
        await aid.RegisterHomeAsync(home);
        var agreementId = await aid.HostAgreesAsync(host, home);
        var people = new List<AidPerson>();
        for (var i = 0; i < 8; i++)
            people.Add(await aid.PersonAsync(home));
        try
        {
            var request = await aid.RaiseAsync(home, host, agreementId, new { staffIds = people.Select(p => p.StaffId).ToArray() });
            var requestId = request["id"]!.GetValue<Guid>();
            var members = MemberIds(request);
            foreach (var person in people)
            {
                await Ok(await aid.Staff(home, person).PostAsync(Url($"/api/me/mutual-aid/{members[person.StaffId]}/consent"), null), HttpStatusCode.OK);
                await aid.PresentAsync(person.Wallet, person.Held, await aid.WalletLinkAsync(home, person, members[person.StaffId]));
            }
            await using var db = new VerifierDbContext(new DbContextOptionsBuilder<VerifierDbContext>()
                .UseNpgsql(_services.VerifierDatabase.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", VerifierDbContext.Schema)).Options);
            await Eventually(async () => await db.Set<HostAidMember>().CountAsync(m => m.RequestId == requestId && m.Accepted == true) == 8, "every decision at the host");

            var verifier = _services.Verifier.As(host, PassportRoles.Verifier);
            await Ok(await verifier.PostAsJsonAsync(Url($"/api/mutual-aid/{requestId}/start"), new { hostSite = "Royal Sussex County Hospital" }), HttpStatusCode.Accepted);
            await Eventually(async () => await db.Set<Deployment>().CountAsync(d => d.HostOdsCode == host) >= 2, "the first deployments to start");
            await _services.StopVerifierAsync();

            var whenStopped = await db.Set<Deployment>().CountAsync(d => d.HostOdsCode == host);
            Assert.InRange(whenStopped, 2, 7);
            Assert.Null((await db.Set<AidStart>().AsNoTracking().SingleAsync(s => s.RequestId == requestId)).CompletedAt);

            _services.StartVerifier();
            await Eventually(async () => (await db.Set<AidStart>().AsNoTracking().SingleAsync(s => s.RequestId == requestId)).CompletedAt is not null,
                "the restarted host to finish start-all");

            var deployments = await db.Set<Deployment>().AsNoTracking().Where(d => d.HostOdsCode == host).ToListAsync();
            Assert.Equal(8, deployments.Count);
            Assert.Equal(members.Values.Order(), deployments.Select(d => d.Id).Order());
            Assert.Equal(8, deployments.Select(d => d.DecisionId).Distinct().Count());
            var started = await db.Set<OutboxMessage>().AsNoTracking().Where(o => o.MessageType == typeof(DeploymentStarted).FullName).Select(o => o.Body).ToListAsync();
            Assert.All(deployments, d => Assert.Single(started, b => b.Contains(d.Id.ToString(), StringComparison.Ordinal)));

            var hr = _services.Issuer.As(home, PassportRoles.HrIssuer);
            await Eventually(async () =>
            {
                var view = await Ok(await hr.GetAsync(Url($"/api/mutual-aid-requests/{requestId}")), HttpStatusCode.OK);
                return view["counts"]!["deployed"]!.GetValue<int>() == 8;
            }, "home to see all eight deployed");
        }
        finally
        {
            people.ForEach(p => p.Dispose());
        }
    }
}
