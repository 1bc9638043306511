using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Notifications;
using Passport.Testing;
using Passport.Verifier.Agreements;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Notifications;

/// <summary>The Verifier with its notifications pointed at a real SMTP server, and staffing contacts for <see cref="Host"/>.</summary>
public sealed class MailingVerifier : IAsyncLifetime
{
    public const string Host = "HOSTN1";
    public const string Staffing = "staffing@eastbrook.test";
    public const string IssuerBaseUrl = "https://issuer.test.passport.nhs.uk/";

    public MailingVerifier()
    {
        foreach (var (key, value) in Smtp.Settings)
            App.Settings[key] = value;
        App.Settings[$"Notifications:Contacts:{Host}:verifier:0"] = Staffing;
        App.Settings[$"{TrustOptions.Section}:IssuerBaseUrl"] = IssuerBaseUrl;
    }

    public TestSmtpServer Smtp { get; } = new();

    public VerifierApp App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await App.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await App.DestroyAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class HostMessageTests(MailingVerifier fixture) : IClassFixture<MailingVerifier>
{
    private const string Withdrawn = "A deployed person's credential was withdrawn";
    private const string Lapses = "A deployed person's credential lapses before the deployment ends";
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly VerifierApp app = fixture.App;

    private async Task<(Guid DeploymentId, string Home, string StatusListUri)> DeployedAsync(DateTimeOffset credentialsExpireAt, int days = 10)
    {
        var home = "N" + Random.Shared.Next(100_000, 999_999);
        var statusUri = $"{MailingVerifier.IssuerBaseUrl}status/{home}/1";
        var json = SampleAgreement.Json(MailingVerifier.Host, home);
        json["maxDeploymentDays"] = 30;
        json["homeApprovalRequired"] = false;
        var agreement = await app.ClientFor(MailingVerifier.Host, "org_admin").PostAsJsonAsync(new Uri("/api/agreements", UriKind.Relative), json);
        agreement.EnsureSuccessStatusCode();
        var agreementId = (await agreement.Content.ReadFromJsonAsync<AgreementResponse>())!.Id;
        var staffId = Guid.NewGuid();
        var decisionId = await app.WithDbAsync(async db =>
        {
            var outcome = new RequirementOutcome("req0", SampleAgreement.Vct("dbs"), "met", "Met.",
                new CredentialReference(0, "req0", $"{MailingVerifier.IssuerBaseUrl}issuers/{home}", SampleAgreement.Vct("dbs"), credentialsExpireAt, statusUri, 7, staffId.ToString()),
                new Dictionary<string, JsonNode?>());
            var decision = new Decision
            {
                OdsCode = MailingVerifier.Host, AgreementId = agreementId, AgreementVersion = 1, Role = SampleAgreement.Role, Start = Today.AddDays(1), End = Today.AddDays(60),
                Accepted = true, Nonce = Guid.NewGuid().ToString("N"), Source = Decision.FromDirectVerification, DecidedBy = "test", DecidedAt = DateTimeOffset.UtcNow,
                Requirements = [outcome],
            };
            db.Add(decision);
            await db.SaveChangesAsync();
            return decision.Id;
        });
        var response = await app.ClientFor(MailingVerifier.Host, "verifier").PostAsJsonAsync(new Uri("/api/deployments", UriKind.Relative), new
        {
            decisionId, homeOdsCode = home, staffId, hostSite = "Ward 7, City Hospital", start = Today.AddDays(1), end = Today.AddDays(days),
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<DeploymentResponse>())!.Id, home, statusUri);
    }

    private async Task<int> StaffingMailsAsync(string subject, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (fixture.Smtp.To(MailingVerifier.Staffing).Count(m => m.Subject == subject) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The receiving organisation did not receive '{subject}'.");
            await Task.Delay(50);
        }
        await Task.Delay(1500);
        return fixture.Smtp.To(MailingVerifier.Staffing).Count(m => m.Subject == subject);
    }

    private static void HasNoSpecialCategoryData(string? text)
    {
        Assert.False(string.IsNullOrEmpty(text));
        foreach (var word in new[] { "DBS", "barred", "criminal", "health", "immunisation", "clearance", "enhanced", "occupational" })
            Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_receiving_organisation_is_emailed_once_when_a_deployed_persons_credential_is_withdrawn_even_if_the_event_comes_twice()
    {
        var before = fixture.Smtp.To(MailingVerifier.Staffing).Count(m => m.Subject == Withdrawn);
        var (_, home, statusUri) = await DeployedAsync(DateTimeOffset.UtcNow.AddYears(1));
        var bus = app.Services.GetRequiredService<IBus>();
        var messageId = NewId.NextGuid();
        var revoked = new CredentialRevoked
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = home, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "no_longer_valid",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = statusUri, StatusIndex = 7,
        };

        await bus.Publish(revoked, c => c.MessageId = messageId);
        await bus.Publish(revoked, c => c.MessageId = messageId);

        Assert.Equal(before + 1, await StaffingMailsAsync(Withdrawn, before + 1));
        var mail = fixture.Smtp.To(MailingVerifier.Staffing).Last(m => m.Subject == Withdrawn);
        Assert.Contains("Ward 7, City Hospital", mail.TextBody, StringComparison.Ordinal);
        HasNoSpecialCategoryData(mail.TextBody);
        var rows = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.OdsCode == MailingVerifier.Host && n.TemplateKey == "deployment_credential_withdrawn").ToListAsync());
        Assert.Equal(before + 1, rows.Count);
        Assert.All(rows, r => Assert.Equal(NotificationStates.Sent, r.State));
    }

    [Fact]
    public async Task The_receiving_organisations_message_links_to_the_deployment_it_is_about()
    {
        var (deploymentId, home, statusUri) = await DeployedAsync(DateTimeOffset.UtcNow.AddYears(1));
        var link = $"https://passport.test/deployments/{deploymentId}";

        await app.Services.GetRequiredService<IBus>().Publish(new CredentialRevoked
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = home, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "no_longer_valid",
            RevokedAt = DateTimeOffset.UtcNow, StatusListUri = statusUri, StatusIndex = 7,
        });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!fixture.Smtp.To(MailingVerifier.Staffing).Any(m => (m.TextBody ?? "").Contains(deploymentId.ToString(), StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "The receiving organisation was not told about the deployment.");
            await Task.Delay(50);
        }
        var mail = fixture.Smtp.To(MailingVerifier.Staffing).Single(m => (m.TextBody ?? "").Contains(deploymentId.ToString(), StringComparison.Ordinal));
        Assert.Equal([link], System.Text.RegularExpressions.Regex.Matches(mail.TextBody ?? "", @"https?://\S+").Select(m => m.Value));
    }

    [Fact]
    public async Task The_receiving_organisation_is_told_when_a_deployed_persons_credential_lapses_before_the_deployment_ends()
    {
        var before = fixture.Smtp.To(MailingVerifier.Staffing).Count(m => m.Subject == Lapses);
        var expires = DateTimeOffset.UtcNow.AddDays(5);
        var (_, home, statusUri) = await DeployedAsync(DateTimeOffset.UtcNow.AddDays(40), days: 20);

        await app.Services.GetRequiredService<IBus>().Publish(new CredentialExpiring
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = home, StaffId = Guid.NewGuid(), CredentialType = "dbs", ExpiresAt = expires, ThresholdDays = 14,
            StatusListUri = statusUri, StatusIndex = 7,
        });

        Assert.Equal(before + 1, await StaffingMailsAsync(Lapses, before + 1));
        HasNoSpecialCategoryData(fixture.Smtp.To(MailingVerifier.Staffing).Last(m => m.Subject == Lapses).TextBody);
    }

    [Fact]
    public async Task An_organisation_admin_lists_the_receiving_organisations_messages()
    {
        var (_, home, statusUri) = await DeployedAsync(DateTimeOffset.UtcNow.AddYears(1));
        await app.Services.GetRequiredService<IBus>().Publish(new CredentialSuspended
        {
            CredentialId = Guid.NewGuid(), IssuerOdsCode = home, StaffId = Guid.NewGuid(), CredentialType = "dbs", Reason = "update_pending",
            SuspendedAt = DateTimeOffset.UtcNow, StatusListUri = statusUri, StatusIndex = 7,
        });
        await StaffingMailsAsync(Withdrawn, 1);

        var page = await app.ClientFor(MailingVerifier.Host, "org_admin").GetFromJsonAsync<JsonObject>("/api/verifier-messages?pageSize=50");

        Assert.Contains(page!["items"]!.AsArray(), i => (string?)i!["recipient"] == MailingVerifier.Staffing && (string?)i["template"] == "deployment_credential_withdrawn");
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor(MailingVerifier.Host, "verifier").GetAsync("/api/verifier-messages")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.ClientFor(MailingVerifier.Host, "org_admin").GetAsync("/api/verifier-messages?page=0")).StatusCode);
    }
}
