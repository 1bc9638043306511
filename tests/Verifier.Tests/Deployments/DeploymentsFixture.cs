using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Passport.Verifier.Agreements;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Tests.Deployments;

/// <summary>The Verifier with issuer identifiers configured, plus helpers to make an agreement and a decision under it.</summary>
public sealed class DeploymentsFixture : IAsyncLifetime
{
    public const string IssuerBaseUrl = "https://issuer.test.passport.nhs.uk/";

    public VerifierApp App { get; } = new();

    /// <summary>Counts each consumer's completed runs per message id, on the service's own bus.</summary>
    public ConsumeCounter Consumed { get; } = new();

    public DeploymentsFixture()
    {
        App.Settings[$"{TrustOptions.Section}:IssuerBaseUrl"] = IssuerBaseUrl;
    }

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        App.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();

    public static string Ods() => "D" + Random.Shared.Next(100_000, 999_999);

    public static string IssuerOf(string ods) => $"{IssuerBaseUrl}issuers/{ods}";

    /// <summary>Records an agreement between host and home through the API and returns its id.</summary>
    public async Task<Guid> AgreementAsync(string host, string home, int maxDays, bool homeApproval)
    {
        var json = SampleAgreement.Json(host, home);
        json["maxDeploymentDays"] = maxDays;
        json["homeApprovalRequired"] = homeApproval;
        var response = await App.ClientFor(host, "org_admin").PostAsJsonAsync(new Uri("/api/agreements", UriKind.Relative), json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AgreementResponse>())!.Id;
    }

    /// <summary>A decision as the verification flow records it, relying on credentials at these status list entries.</summary>
    public Task<Guid> DecisionAsync(string host, string home, Guid agreementId, DateOnly start, DateOnly end, bool accepted = true,
        params (string Uri, long Index)[] statuses) => DecisionAsync(host, home, agreementId, start, end, DateTimeOffset.UtcNow.AddYears(1), accepted, statuses);

    public Task<Guid> DecisionAsync(string host, string home, Guid agreementId, DateOnly start, DateOnly end, DateTimeOffset credentialsExpireAt, bool accepted = true,
        params (string Uri, long Index)[] statuses) => DecisionAboutAsync(StaffId.ToString(), host, home, agreementId, start, end, credentialsExpireAt, accepted, statuses);

    /// <summary>The person every <see cref="DecisionAsync(string, string, Guid, DateOnly, DateOnly, bool, ValueTuple{string, long}[])"/> decision verified.</summary>
    public static readonly Guid StaffId = Guid.NewGuid();

    /// <summary>A decision whose credentials name <paramref name="subject"/> (null: name nobody, as decisions made before subjects were kept).</summary>
    public Task<Guid> DecisionAboutAsync(string? subject, string host, string home, Guid agreementId, DateOnly start, DateOnly end, DateTimeOffset credentialsExpireAt,
        bool accepted, params (string Uri, long Index)[] statuses) =>
        App.WithDbAsync(async db =>
        {
            var outcomes = statuses.Select((s, i) => new RequirementOutcome(
                $"req{i}", SampleAgreement.Vct("dbs"), "met", "Met.",
                new CredentialReference(i, $"req{i}", IssuerOf(home), SampleAgreement.Vct("dbs"), credentialsExpireAt, s.Uri, s.Index, subject),
                new Dictionary<string, JsonNode?>())).ToList();
            var decision = new Decision
            {
                OdsCode = host, AgreementId = agreementId, AgreementVersion = 1, Role = SampleAgreement.Role, Start = start, End = end, Accepted = accepted,
                Nonce = Guid.NewGuid().ToString("N"), Source = Decision.FromDirectVerification, DecidedBy = "test", DecidedAt = DateTimeOffset.UtcNow,
                Requirements = outcomes,
            };
            db.Add(decision);
            await db.SaveChangesAsync();
            return decision.Id;
        });
}

public sealed class ConsumeCounter : IConsumeObserver
{
    private readonly ConcurrentDictionary<(Guid, Type), int> _done = new();

    public int Count<T>(Guid messageId) => _done.TryGetValue((messageId, typeof(T)), out var n) ? n : 0;

    public async Task WaitForAsync<T>(Guid messageId, int times)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Count<T>(messageId) < times)
            await Task.Delay(50, cts.Token);
    }

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        if (context.MessageId is { } id)
            _done.AddOrUpdate((id, typeof(T)), 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
