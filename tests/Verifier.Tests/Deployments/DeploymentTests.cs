using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Testing;
using Passport.Verifier.Deployments;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Deployments;

public sealed class DeploymentTests(DeploymentsFixture fixture) : IClassFixture<DeploymentsFixture>
{
    private readonly VerifierApp _app = fixture.App;
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record Started(HttpClient Client, string Host, string Home, DeploymentResponse Deployment, string StatusListUri);

    private async Task<Started> StartAsync(bool homeApproval, int maxDays = 30, int days = 10)
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var statusUri = $"{DeploymentsFixture.IssuerBaseUrl}status/{home}/1";
        var agreement = await fixture.AgreementAsync(host, home, maxDays, homeApproval);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today.AddDays(1), Today.AddDays(60), statuses: [(statusUri, 7), (statusUri, 8)]);
        var client = _app.ClientFor(host, "verifier");
        var response = await client.PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = DeploymentsFixture.StaffId, hostSite = "Ward 7, City Hospital",
            start = Today.AddDays(1), end = Today.AddDays(days),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return new Started(client, host, home, (await response.Content.ReadFromJsonAsync<DeploymentResponse>())!, statusUri);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_deployment_without_home_approval_starts_at_once_and_publishes_DeploymentStarted()
    {
        await using var started = await BusProbe<DeploymentStarted>.StartAsync(_app.Broker);

        var s = await StartAsync(homeApproval: false);

        Assert.Equal("active", s.Deployment.State);
        Assert.Equal(2, s.Deployment.Credentials.Count);
        var evt = await started.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        Assert.Equal(s.Host, evt.Message.HostOdsCode);
        Assert.Equal(s.Home, evt.Message.HomeOdsCode);
        Assert.Equal(Today.AddDays(10), evt.Message.End);
    }

    [Fact]
    public async Task A_deployment_needing_home_approval_waits_and_publishes_DeploymentRequested()
    {
        await using var requested = await BusProbe<DeploymentRequested>.StartAsync(_app.Broker);

        var s = await StartAsync(homeApproval: true);

        Assert.Equal("awaiting_approval", s.Deployment.State);
        var evt = await requested.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        Assert.True(evt.Message.RequiresHomeApproval);
        Assert.Equal("Ward 7, City Hospital", evt.Message.HostSite);
    }

    [Fact]
    public async Task Approval_from_the_home_organisation_starts_the_deployment_and_publishes_DeploymentStarted()
    {
        var s = await StartAsync(homeApproval: true);
        await using var started = await BusProbe<DeploymentStarted>.StartAsync(_app.Broker);

        await _app.Services.GetRequiredService<IBus>().Publish(new DeploymentApproved
        {
            DeploymentId = s.Deployment.Id, HomeOdsCode = s.Home, ApprovedAt = DateTimeOffset.UtcNow,
        });

        await started.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.Equal("active", now!.State);
    }

    [Fact]
    public async Task Approval_claimed_by_another_organisation_changes_nothing()
    {
        var s = await StartAsync(homeApproval: true);
        var messageId = NewId.NextGuid();

        await _app.Services.GetRequiredService<IBus>().Publish(new DeploymentApproved
        {
            DeploymentId = s.Deployment.Id, HomeOdsCode = s.Host, ApprovedAt = DateTimeOffset.UtcNow,
        }, c => c.MessageId = messageId);
        await fixture.Consumed.WaitForAsync<DeploymentApproved>(messageId, 1);

        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.Equal("awaiting_approval", now!.State);
    }

    [Fact]
    public async Task A_decline_from_the_home_organisation_declines_the_deployment()
    {
        var s = await StartAsync(homeApproval: true);
        var messageId = NewId.NextGuid();

        await _app.Services.GetRequiredService<IBus>().Publish(new DeploymentDeclined
        {
            DeploymentId = s.Deployment.Id, HomeOdsCode = s.Home, Reason = "staffing_needed_at_home", DeclinedAt = DateTimeOffset.UtcNow,
        }, c => c.MessageId = messageId);
        await fixture.Consumed.WaitForAsync<DeploymentDeclined>(messageId, 1);

        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.Equal("declined", now!.State);
        Assert.Equal("staffing_needed_at_home", now.DeclineReason);
    }

    [Fact]
    public async Task Extending_within_the_agreements_maximum_publishes_DeploymentExtended()
    {
        var s = await StartAsync(homeApproval: false, maxDays: 30);
        await using var extended = await BusProbe<DeploymentExtended>.StartAsync(_app.Broker);

        var response = await s.Client.PostAsJsonAsync(new Uri($"/api/deployments/{s.Deployment.Id}/extend", UriKind.Relative), new { newEnd = Today.AddDays(30) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Today.AddDays(30), (await response.Content.ReadFromJsonAsync<DeploymentResponse>())!.End);
        var evt = await extended.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        Assert.Equal(Today.AddDays(10), evt.Message.PreviousEnd);
        Assert.Equal(Today.AddDays(30), evt.Message.NewEnd);
    }

    [Fact]
    public async Task Extending_beyond_the_agreements_maximum_is_refused_naming_the_limit_and_changes_nothing()
    {
        var s = await StartAsync(homeApproval: false, maxDays: 30);

        var response = await s.Client.PostAsJsonAsync(new Uri($"/api/deployments/{s.Deployment.Id}/extend", UriKind.Relative), new { newEnd = Today.AddDays(31) });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("beyond_agreement_maximum", problem.GetProperty("code").GetString());
        Assert.Contains("30 days", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.Equal(Today.AddDays(10), now!.End);
    }

    [Fact]
    public async Task Extending_past_the_last_day_a_relied_on_credential_covers_is_refused_naming_it_and_changes_nothing()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var statusUri = $"{DeploymentsFixture.IssuerBaseUrl}status/{home}/1";
        var agreement = await fixture.AgreementAsync(host, home, 30, homeApproval: false);
        // Valid through Today + 19: it expires at the start of Today + 20.
        var expires = new DateTimeOffset(Today.AddDays(20).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today, Today.AddDays(10), expires, statuses: [(statusUri, 3)]);
        var client = _app.ClientFor(host, "verifier");
        var created = await client.PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = DeploymentsFixture.StaffId, hostSite = "Ward 2", start = Today, end = Today.AddDays(10),
        });
        var deployment = (await created.Content.ReadFromJsonAsync<DeploymentResponse>())!;
        Assert.Equal(expires, Assert.Single(deployment.Credentials).ExpiresAt);
        var extend = new Uri($"/api/deployments/{deployment.Id}/extend", UriKind.Relative);

        var tooLong = await client.PostAsJsonAsync(extend, new { newEnd = Today.AddDays(25) });

        var problem = await ProblemAsync(tooLong, HttpStatusCode.Conflict);
        Assert.Equal("credential_lapses_before_new_end", problem.GetProperty("code").GetString());
        Assert.Contains(SampleAgreement.Vct("dbs"), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"{Today.AddDays(19):yyyy-MM-dd} at the latest", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(Today.AddDays(10), (await client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{deployment.Id}", UriKind.Relative)))!.End);

        var covered = await client.PostAsJsonAsync(extend, new { newEnd = Today.AddDays(19) });

        Assert.Equal(HttpStatusCode.OK, covered.StatusCode);
        Assert.Equal(Today.AddDays(19), (await covered.Content.ReadFromJsonAsync<DeploymentResponse>())!.End);
    }

    [Fact]
    public async Task A_deployment_longer_than_the_agreement_allows_is_not_started()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var agreement = await fixture.AgreementAsync(host, home, 5, homeApproval: false);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today, Today.AddDays(60), statuses: [("https://x.example/s/1", 1)]);

        var response = await _app.ClientFor(host, "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = DeploymentsFixture.StaffId, hostSite = "Ward 1", start = Today, end = Today.AddDays(5),
        });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("at most 5 days", problem.GetProperty("errors").GetProperty("end")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Set<Deployment>().CountAsync(d => d.DecisionId == decision)));
    }

    [Fact]
    public async Task A_rejected_decision_cannot_start_a_deployment()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var agreement = await fixture.AgreementAsync(host, home, 30, homeApproval: false);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today, Today.AddDays(20), accepted: false, statuses: [("https://x.example/s/1", 1)]);

        var response = await _app.ClientFor(host, "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = DeploymentsFixture.StaffId, hostSite = "Ward 1", start = Today, end = Today.AddDays(5),
        });

        Assert.Equal("decision_not_accepted", (await ProblemAsync(response, HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_decision_that_does_not_name_the_person_cannot_start_a_deployment()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var agreement = await fixture.AgreementAsync(host, home, 30, homeApproval: false);
        var decision = await fixture.DecisionAboutAsync(null, host, home, agreement, Today, Today.AddDays(20), DateTimeOffset.UtcNow.AddYears(1), true,
            ("https://x.example/s/1", 1));

        var response = await _app.ClientFor(host, "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = Guid.NewGuid(), hostSite = "Ward 1", start = Today, end = Today.AddDays(5),
        });

        Assert.Equal("decision_subject_unknown", (await ProblemAsync(response, HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(0, await _app.WithDbAsync(db => db.Set<Deployment>().CountAsync(d => d.DecisionId == decision)));
    }

    [Fact]
    public async Task A_deployment_of_someone_other_than_the_person_verified_is_refused()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var agreement = await fixture.AgreementAsync(host, home, 30, homeApproval: false);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today, Today.AddDays(20), statuses: [("https://x.example/s/1", 1)]);

        var response = await _app.ClientFor(host, "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = Guid.NewGuid(), hostSite = "Ward 1", start = Today, end = Today.AddDays(5),
        });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("staffId", out _));
    }

    [Fact]
    public async Task Another_organisations_decision_is_not_found()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var agreement = await fixture.AgreementAsync(host, home, 30, homeApproval: false);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today, Today.AddDays(20), statuses: [("https://x.example/s/1", 1)]);

        var response = await _app.ClientFor(DeploymentsFixture.Ods(), "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId = decision, homeOdsCode = home, staffId = DeploymentsFixture.StaffId, hostSite = "Ward 1", start = Today, end = Today.AddDays(5),
        });

        Assert.Equal("decision_not_found", (await ProblemAsync(response, HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_second_deployment_from_the_same_decision_is_a_conflict()
    {
        var (host, home) = (DeploymentsFixture.Ods(), DeploymentsFixture.Ods());
        var agreement = await fixture.AgreementAsync(host, home, 30, homeApproval: false);
        var decision = await fixture.DecisionAsync(host, home, agreement, Today, Today.AddDays(20), statuses: [("https://x.example/s/1", 1)]);
        var client = _app.ClientFor(host, "verifier");
        var body = new { decisionId = decision, homeOdsCode = home, staffId = DeploymentsFixture.StaffId, hostSite = "Ward 1", start = Today, end = Today.AddDays(5) };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), body)).StatusCode);

        var second = await client.PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), body);

        Assert.Equal("deployment_exists", (await ProblemAsync(second, HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Missing_fields_are_named_in_a_validation_problem()
    {
        var response = await _app.ClientFor(DeploymentsFixture.Ods(), "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new { });

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "decisionId", "homeOdsCode", "staffId", "hostSite", "start", "end" })
            Assert.True(errors.TryGetProperty(field, out _), field);
    }

    [Fact]
    public async Task Ending_a_deployment_publishes_DeploymentEnded_and_a_second_end_is_a_conflict()
    {
        var s = await StartAsync(homeApproval: false);
        await using var ended = await BusProbe<DeploymentEnded>.StartAsync(_app.Broker);

        var response = await s.Client.PostAsync(new Uri($"/api/deployments/{s.Deployment.Id}/end", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ended", (await response.Content.ReadFromJsonAsync<DeploymentResponse>())!.State);
        await ended.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        var again = await s.Client.PostAsync(new Uri($"/api/deployments/{s.Deployment.Id}/end", UriKind.Relative), null);
        Assert.Equal("invalid_deployment_state", (await ProblemAsync(again, HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Deployments_are_listed_by_state_for_the_callers_organisation_only()
    {
        var active = await StartAsync(homeApproval: false);
        var endedOne = await _app.ClientFor(active.Host, "verifier").PostAsync(new Uri($"/api/deployments/{active.Deployment.Id}/end", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, endedOne.StatusCode);

        var ended = await active.Client.GetFromJsonAsync<List<DeploymentResponse>>(new Uri("/api/deployments?state=ended", UriKind.Relative));
        var activeNow = await active.Client.GetFromJsonAsync<List<DeploymentResponse>>(new Uri("/api/deployments?state=active", UriKind.Relative));
        var other = await _app.ClientFor(DeploymentsFixture.Ods(), "verifier").GetFromJsonAsync<List<DeploymentResponse>>(new Uri("/api/deployments", UriKind.Relative));
        var bad = await active.Client.GetAsync(new Uri("/api/deployments?state=paused", UriKind.Relative));

        Assert.Equal([active.Deployment.Id], ended!.Select(d => d.Id));
        Assert.Empty(activeNow!);
        Assert.Empty(other!);
        var problem = await ProblemAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal("Filter by one of awaiting_approval, active, declined, ended.", problem.GetProperty("errors").GetProperty("state")[0].GetString());
    }

    [Fact]
    public async Task Another_organisation_cannot_see_or_change_a_deployment()
    {
        var s = await StartAsync(homeApproval: false);
        var stranger = _app.ClientFor(DeploymentsFixture.Ods(), "verifier");

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync(new Uri($"/api/deployments/{s.Deployment.Id}/end", UriKind.Relative), null)).StatusCode);
    }

    [Fact]
    public async Task Staff_cannot_use_the_deployment_api()
    {
        var response = await _app.ClientFor(DeploymentsFixture.Ods(), "staff").GetAsync(new Uri("/api/deployments", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_credential_flags_the_deployment_once_even_when_the_event_is_delivered_twice()
    {
        var s = await StartAsync(homeApproval: false);
        var untouched = await StartAsync(homeApproval: false);
        await using var flagged = await BusProbe<DeploymentFlagged>.StartAsync(_app.Broker);
        var bus = _app.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var revoked = new CredentialRevoked
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = s.Home, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "no_longer_valid",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = s.StatusListUri, StatusIndex = 8,
        };

        await bus.Publish(revoked, c => c.MessageId = messageId);
        var first = await flagged.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        await bus.Publish(revoked, c => c.MessageId = messageId);
        await fixture.Consumed.WaitForAsync<CredentialRevoked>(messageId, 2);

        Assert.Equal(revoked.CredentialId, first.Message.CredentialId);
        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.True(now!.Flagged);
        var flag = Assert.Single(now.Flags);
        Assert.Equal("credential_revoked", flag.Kind);
        Assert.Equal(8, flag.StatusIndex);
        var events = await _app.WithDbAsync(db => db.Set<Passport.Messaging.OutboxMessage>()
            .CountAsync(m => m.MessageType == typeof(DeploymentFlagged).FullName && m.Body.Contains(s.Deployment.Id.ToString())));
        Assert.Equal(1, events);
        var other = await untouched.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{untouched.Deployment.Id}", UriKind.Relative));
        Assert.False(other!.Flagged);
        await Assert.ThrowsAsync<TimeoutException>(() => flagged.NextAsync(e => e.DeploymentId == s.Deployment.Id, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_suspended_credential_flags_the_deployment_that_relied_on_it()
    {
        var s = await StartAsync(homeApproval: true);
        await using var flagged = await BusProbe<DeploymentFlagged>.StartAsync(_app.Broker);

        await _app.Services.GetRequiredService<IBus>().Publish(new CredentialSuspended
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = s.Home, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "update_pending",
            SuspendedAt = DateTimeOffset.UtcNow, StatusListUri = s.StatusListUri, StatusIndex = 7,
        });

        var evt = await flagged.NextAsync(e => e.DeploymentId == s.Deployment.Id);
        Assert.Contains("update_pending", evt.Message.Reason, StringComparison.Ordinal);
        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.Equal("credential_suspended", Assert.Single(now!.Flags).Kind);
    }

    [Fact]
    public async Task A_revocation_does_not_flag_an_ended_deployment()
    {
        var s = await StartAsync(homeApproval: false);
        Assert.Equal(HttpStatusCode.OK, (await s.Client.PostAsync(new Uri($"/api/deployments/{s.Deployment.Id}/end", UriKind.Relative), null)).StatusCode);
        var messageId = NewId.NextGuid();

        await _app.Services.GetRequiredService<IBus>().Publish(new CredentialRevoked
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = s.Home, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "issued_in_error",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = s.StatusListUri, StatusIndex = 7,
        }, c => c.MessageId = messageId);
        await fixture.Consumed.WaitForAsync<CredentialRevoked>(messageId, 1);

        var now = await s.Client.GetFromJsonAsync<DeploymentResponse>(new Uri($"/api/deployments/{s.Deployment.Id}", UriKind.Relative));
        Assert.Empty(now!.Flags);
    }
}
