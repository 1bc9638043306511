using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Organisations;
using Passport.Issuer.Staff;
using Passport.Testing;
using Passport.Verifier.Deployments;

namespace Passport.Events.Tests;

public sealed class TwoServicesFixture : IAsyncLifetime
{
    public RabbitMqBroker Broker { get; } = new();
    public TestTokens Tokens { get; } = new();
    public IssuerService Issuer { get; }
    public VerifierService Verifier { get; }

    /// <summary>What the Issuer's consumers were given.</summary>
    public Consumptions IssuerConsumed { get; } = new();

    public TwoServicesFixture()
    {
        Issuer = new IssuerService(Broker, Tokens) { ConfigureServicesForTest = s => s.AddReceiveObserver(_ => IssuerConsumed) };
        Verifier = new VerifierService(Broker, Tokens);
    }

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        await Issuer.InitializeAsync();
        await Verifier.InitializeAsync();
        _ = Issuer.Services;
        _ = Verifier.Services;
    }

    public async Task DisposeAsync()
    {
        await Issuer.DestroyAsync();
        await Verifier.DestroyAsync();
        await Broker.DisposeAsync();
        Tokens.Dispose();
    }
}

public sealed class TracingTests(TwoServicesFixture fixture) : IClassFixture<TwoServicesFixture>, IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task One_trace_runs_from_the_revocation_request_to_the_flag_and_back_to_the_home_organisation()
    {
        _listener.ActivityStopped = _stopped.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var home = TestOds.New("E");
        var staffId = await fixture.Issuer.WithDbAsync(async db =>
        {
            db.Add(new Organisation { OdsCode = home, Name = "Trace Trust", CreatedAt = DateTimeOffset.UtcNow });
            var staff = new StaffMember
            {
                OdsCode = home, GivenName = "Ada", FamilyName = "Trace", DateOfBirth = new DateOnly(1990, 1, 1), AssignmentNumber = "12345678-1",
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Add(staff);
            await db.SaveChangesAsync();
            return staff.Id;
        });
        using var hr = fixture.Issuer.ClientFor(home, "hr_issuer");
        var issued = await hr.PostAsJsonAsync(new Uri($"/api/staff/{staffId}/credentials", UriKind.Relative), new JsonObject
        {
            ["type"] = "training",
            ["claims"] = new JsonObject
            {
                ["subject"] = "fire_safety", ["level"] = "1", ["provider"] = "Trust Learning",
                ["completed_on"] = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-3)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            },
        });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var credential = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var deployment = Deployment.Request(new DeploymentDraft
        {
            HostOdsCode = TestOds.New("H"), HomeOdsCode = home, StaffId = staffId, AgreementId = Guid.NewGuid(), AgreementVersion = 1,
            DecisionId = Guid.NewGuid(), HostSite = "Ward 9", Start = DateOnly.FromDateTime(DateTime.UtcNow), MaxDeploymentDays = 30,
            AgreementEndsOn = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)), HomeApprovalRequired = false, CreatedBy = "test",
            Credentials = [new DeploymentCredential
            {
                StatusListUri = credential.GetProperty("statusListUri").GetString()!, StatusIndex = credential.GetProperty("statusIndex").GetInt64(), Vct = "v",
            }],
        }, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)), DateTimeOffset.UtcNow);
        await fixture.Verifier.WithDbAsync(async db =>
        {
            db.Add(deployment);
            return await db.SaveChangesAsync();
        });
        var traceId = ActivityTraceId.CreateRandom();

        using var revoke = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/credentials/{credential.GetProperty("id").GetGuid()}/revoke", UriKind.Relative))
        {
            Content = JsonContent.Create(new { reason = "no_longer_valid" }),
        };
        revoke.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        Assert.Equal(HttpStatusCode.OK, (await hr.SendAsync(revoke)).StatusCode);

        var request = await StoppedAsync(a => a.OperationName == "Microsoft.AspNetCore.Hosting.HttpRequestIn" && a.TraceId == traceId);
        var flagging = await StoppedAsync(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && a.TraceId == traceId
            && Tagged(a, "CredentialRevokedConsumer"));
        var homeView = await StoppedAsync(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer && a.TraceId == traceId
            && Tagged(a, "DeploymentFlaggedConsumer"));
        Assert.Equal(request.TraceId, flagging.TraceId);
        Assert.Equal(request.TraceId, homeView.TraceId);
        Assert.True(await fixture.Verifier.WithDbAsync(db => db.Set<Deployment>().AnyAsync(d => d.Id == deployment.Id && d.Flags.Count == 1)));
    }

    private static bool Tagged(Activity activity, string consumer) =>
        activity.TagObjects.Any(t => t.Value?.ToString()?.Contains(consumer, StringComparison.Ordinal) == true)
        || activity.DisplayName.Contains(consumer, StringComparison.Ordinal);

    private async Task<Activity> StoppedAsync(Func<Activity, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!timeout.IsCancellationRequested)
        {
            if (_stopped.FirstOrDefault(match) is { } found)
                return found;
            await Task.Delay(50, CancellationToken.None);
        }
        var seen = string.Join("\n", _stopped.Select(a => $"{a.Source.Name} {a.Kind} {a.DisplayName} {a.TraceId} [{string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))}]"));
        throw new TimeoutException($"No matching activity within 30 s. Seen:\n{seen}");
    }
}
