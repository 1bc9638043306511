using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Contracts;
using Passport.Credentials.Jose;
using Passport.Messaging;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Tests.Agreements;

namespace Passport.Verifier.Tests.Decisions;

/// <summary>The one decide step both routes use, on its own: what it adds, what a refusal adds, and what a second decision on one nonce gets.</summary>
public sealed class DecisionMakerTests(VerifierTestbed bed) : IClassFixture<VerifierTestbed>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record Asking(string Own, EcdsaJwsSigner Holder, List<TestCredential> Credentials, Guid AgreementId);

    private async Task<Asking> ArrangeAsync()
    {
        var home = bed.NewIssuer();
        var own = Ods.New();
        var agreementId = await bed.CreateAgreementAsync(own, home.Ods);
        var holder = EcdsaJwsSigner.Generate("holder");
        var credentials = new List<TestCredential>();
        foreach (var (_, type, claims) in SampleClaims.All(Today))
            credentials.Add(await home.IssueAsync(type, claims, holder));
        return new Asking(own, holder, credentials, agreementId);
    }

    private static async Task<DecisionAsked> AskAsync(VerifierDbContext db, Asking a, string nonce, Func<string, string>? tamper = null)
    {
        var audience = $"{VerifierApp.PublicBaseUrl}verifiers/{a.Own}";
        var agreement = (await AgreementLookup.LoadAsync(db, a.Own, a.AgreementId, null, CancellationToken.None))!;
        var presented = await Task.WhenAll(a.Credentials.Select(c => c.PresentAsync(a.Holder, audience, nonce)));
        return new DecisionAsked
        {
            Agreement = agreement, Role = agreement.Rules.FindRole(SampleAgreement.Role)!, Start = Today.AddDays(7), End = Today.AddDays(36),
            Presentations = [.. presented.Select(p => new ReceivedPresentation(null, tamper is null ? p : tamper(p)))], Audience = audience, Nonce = nonce,
            Source = Decision.FromDirectVerification, DecidedBy = "test",
        };
    }

    private async Task<T> InScopeAsync<T>(Func<VerifierDbContext, DecisionMaker, Task<T>> work)
    {
        await using var scope = bed.App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<VerifierDbContext>(), scope.ServiceProvider.GetRequiredService<DecisionMaker>());
    }

    private static ProblemHttpResult Conflict() => Passport.ServiceDefaults.Problems.Conflict("test_conflict", "A second decision on one nonce.");

    [Fact]
    public async Task A_decision_and_its_event_are_added_together_and_committed_by_the_save()
    {
        var a = await ArrangeAsync();
        var nonce = Guid.NewGuid().ToString("N");

        var decision = await InScopeAsync(async (db, decisions) =>
        {
            var (decided, refused) = await decisions.DecideAsync(db, await AskAsync(db, a, nonce), CancellationToken.None);
            Assert.Null(refused);
            Assert.Equal(2, db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added));
            Assert.Null(await DecisionMaker.SaveAsync(db, Conflict, CancellationToken.None));
            return decided!;
        });

        var stored = await bed.App.WithDbAsync(db => db.Set<Decision>().AsNoTracking().SingleAsync(d => d.Id == decision.Id));
        Assert.True(stored.Accepted);
        Assert.Equal((a.Own, nonce, a.AgreementId), (stored.OdsCode, stored.Nonce, stored.AgreementId));
        Assert.Equal(1, await bed.App.WithDbAsync(db => db.Set<OutboxMessage>()
            .CountAsync(m => m.MessageType == typeof(PresentationVerified).FullName && m.Body.Contains(decision.Id.ToString()))));
    }

    [Fact]
    public async Task A_refused_presentation_adds_nothing()
    {
        var a = await ArrangeAsync();

        var (added, refused) = await InScopeAsync(async (db, decisions) =>
        {
            var (decided, refused) = await decisions.DecideAsync(db, await AskAsync(db, a, Guid.NewGuid().ToString("N"), p => p[..^4] + "AAAA"), CancellationToken.None);
            return (db.ChangeTracker.Entries().Count(e => e.State == EntityState.Added) + (decided is null ? 0 : 1), refused);
        });

        Assert.Equal(0, added);
        Assert.Equal(StatusCodes.Status400BadRequest, refused!.StatusCode);
    }

    [Fact]
    public async Task A_second_decision_on_the_same_nonce_commits_nothing_and_is_the_conflict_the_caller_names()
    {
        var a = await ArrangeAsync();
        var nonce = Guid.NewGuid().ToString("N");
        async Task<ProblemHttpResult?> DecideAndSaveAsync() => await InScopeAsync(async (db, decisions) =>
        {
            var (_, refused) = await decisions.DecideAsync(db, await AskAsync(db, a, nonce), CancellationToken.None);
            Assert.Null(refused);
            return await DecisionMaker.SaveAsync(db, Conflict, CancellationToken.None);
        });

        Assert.Null(await DecideAndSaveAsync());
        var second = await DecideAndSaveAsync();

        Assert.Equal("test_conflict", second!.ProblemDetails.Extensions["code"]);
        Assert.Equal(1, await bed.App.WithDbAsync(db => db.Set<Decision>().CountAsync(d => d.OdsCode == a.Own && d.Nonce == nonce)));
    }
}
