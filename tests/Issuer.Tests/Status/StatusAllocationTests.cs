using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Status;

namespace Passport.Issuer.Tests.Status;

public sealed class StatusAllocationTests(IssuerApp app) : IClassFixture<IssuerApp>
{
    private async Task<int> IssueWithSlotsAsync(string ods, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var lists = new StatusLists(db, Options.Create(new IssuerOptions { StatusListSize = 1024 }), TimeProvider.System,
            scope.ServiceProvider.GetRequiredService<IServiceScopeFactory>());
        var slots = await lists.AllocateAsync(ods, count, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        foreach (var slot in slots)
        {
            db.Credentials.Add(new IssuedCredential
            {
                OdsCode = ods, StaffId = Guid.NewGuid(), Type = "training", Vct = "v", Claims = "{}", StatusListId = slot.ListId,
                StatusIndex = slot.Index, IssuedAt = now, ExpiresAt = now.AddYears(1), KeyId = "k",
            });
        }
        return await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Opening_a_new_list_commits_nothing_the_caller_has_not_saved()
    {
        var ods = Seed.NewOds();
        var messageId = Guid.NewGuid();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        // A consumer's unit of work: its inbox row must commit with its effect, never before it.
        db.Set<Passport.Messaging.InboxMessage>().Add(new() { MessageId = messageId, Consumer = "test", ProcessedAt = DateTimeOffset.UtcNow });
        var lists = scope.ServiceProvider.GetRequiredService<StatusLists>();

        var slot = Assert.Single(await lists.AllocateAsync(ods, 1, CancellationToken.None));

        Assert.False(await app.WithDbAsync(other => other.Set<Passport.Messaging.InboxMessage>().AnyAsync(m => m.MessageId == messageId)));
        Assert.True(await app.WithDbAsync(other => other.StatusLists.AnyAsync(l => l.Id == slot.ListId && l.OdsCode == ods)));
    }

    [Fact]
    public async Task Allocation_across_half_full_lists_opens_new_lists_and_never_reuses_an_index()
    {
        var ods = Seed.NewOds();

        await IssueWithSlotsAsync(ods, 300);
        await IssueWithSlotsAsync(ods, 700); // crosses the half-full mark of the first list, and of the second

        var rows = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods)
            .Select(c => new { c.StatusListId, c.StatusIndex }).ToListAsync());
        Assert.Equal(1000, rows.Count);
        Assert.Equal(1000, rows.Distinct().Count());
        Assert.All(rows.GroupBy(r => r.StatusListId), g => Assert.True(g.Count() <= 512, $"list {g.Key} holds {g.Count()} entries, more than half of 1024"));
        Assert.True(rows.Select(r => r.StatusListId).Distinct().Count() >= 2);
        Assert.All(rows, r => Assert.InRange(r.StatusIndex, 0, 1023));
    }
}
