using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;
using Passport.Verifier.Retention;

namespace Passport.Verifier.Tests.Retention;

public sealed class DecisionRetentionTests(VerifierApp app) : IClassFixture<VerifierApp>
{
    [Fact]
    public async Task Decisions_older_than_their_retention_are_deleted_unless_a_deployment_that_ended_within_it_rests_on_them()
    {
        var ods = "R" + Random.Shared.Next(10_000, 99_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var (old, recent, oldButDeployed, oldLongEnded) = (NewDecision(ods, now.AddYears(-3)), NewDecision(ods, now.AddDays(-10)), NewDecision(ods, now.AddYears(-3)), NewDecision(ods, now.AddYears(-4)));
        await app.WithDbAsync(db =>
        {
            db.Set<Decision>().AddRange(old, recent, oldButDeployed, oldLongEnded);
            db.Set<Deployment>().AddRange(NewDeployment(ods, oldButDeployed.Id, today.AddDays(-30)), NewDeployment(ods, oldLongEnded.Id, today.AddYears(-3)));
            return db.SaveChangesAsync();
        });

        var deleted = await app.Services.GetRequiredService<DecisionPurge>().PurgeAsync(CancellationToken.None);

        Assert.True(deleted >= 2);
        var left = await app.WithDbAsync(db => db.Set<Decision>().AsNoTracking().Where(d => d.OdsCode == ods).Select(d => d.Id).ToListAsync());
        Assert.Equal(new[] { recent.Id, oldButDeployed.Id }.Order(), left.Order());
    }

    private static Decision NewDecision(string ods, DateTimeOffset at) => new()
    {
        OdsCode = ods, AgreementId = Guid.NewGuid(), AgreementVersion = 1, Role = "nurse", Start = new DateOnly(2026, 1, 1), End = new DateOnly(2026, 1, 31),
        Accepted = true, Nonce = Guid.NewGuid().ToString("N"), Source = Passport.Verifier.Decisions.Decision.FromDirectVerification, DecidedBy = "verifier", DecidedAt = at,
        Subject = Guid.NewGuid().ToString(), Requirements = [new("dbs", "https://passport.test/vct/dbs", "met", "Met.", null, new Dictionary<string, System.Text.Json.Nodes.JsonNode?> { ["certificate_number"] = "001122334455" })],
    };

    private static Deployment NewDeployment(string ods, Guid decisionId, DateOnly end) => Passport.Verifier.Deployments.Deployment.Request(new DeploymentDraft
    {
        HostOdsCode = ods, HomeOdsCode = "RHQ", StaffId = Guid.NewGuid(), AgreementId = Guid.NewGuid(), AgreementVersion = 1, DecisionId = decisionId,
        HostSite = "Ward 1", Start = end.AddDays(-10), MaxDeploymentDays = 90, AgreementEndsOn = end.AddYears(1), HomeApprovalRequired = false,
        CreatedBy = "verifier",
    }, end, DateTimeOffset.UtcNow);
}
