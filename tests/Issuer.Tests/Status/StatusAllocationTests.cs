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

    private static StatusLists ListsOf1024(AsyncServiceScope scope) =>
        new(scope.ServiceProvider.GetRequiredService<IssuerDbContext>(), Options.Create(new IssuerOptions { StatusListSize = 1024 }), TimeProvider.System,
            scope.ServiceProvider.GetRequiredService<IServiceScopeFactory>());

    [Fact]
    public async Task Concurrent_allocations_from_one_list_never_share_an_index_and_all_are_counted()
    {
        var ods = Seed.NewOds();
        await IssueWithSlotsAsync(ods, 1); // opens the list, so that every caller below allocates from the same one

        var batches = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await ListsOf1024(scope).AllocateAsync(ods, 50, CancellationToken.None);
        }));

        var slots = batches.SelectMany(b => b).ToList();
        Assert.Equal(400, slots.Count);
        Assert.Equal(400, slots.Distinct().Count());
        var list = await app.WithDbAsync(db => db.StatusLists.AsNoTracking().SingleAsync(l => l.OdsCode == ods));
        Assert.All(slots, s => Assert.Equal(list.Id, s.ListId));
        Assert.Equal(401, list.Allocated);
    }

    [Fact]
    public async Task A_new_list_has_a_secret_key_of_its_own_and_hands_out_indexes_in_that_keys_order()
    {
        var ods = Seed.NewOds();
        var other = Seed.NewOds();
        await IssueWithSlotsAsync(other, 1);
        await using var scope = app.Services.CreateAsyncScope();

        var slots = await ListsOf1024(scope).AllocateAsync(ods, 20, CancellationToken.None);

        var list = await app.WithDbAsync(db => db.StatusLists.AsNoTracking().SingleAsync(l => l.OdsCode == ods));
        var otherKey = await app.WithDbAsync(db => db.StatusLists.Where(l => l.OdsCode == other).Select(l => l.PermutationKey).SingleAsync());
        Assert.NotNull(list.PermutationKey);
        Assert.NotEqual(otherKey, list.PermutationKey);
        using var permutation = new StatusIndexPermutation(list.PermutationKey, list.Size);
        Assert.Equal(Enumerable.Range(0, 20).Select(p => permutation[p]), slots.Select(s => s.Index));
        Assert.Equal(20, list.Allocated);
    }

    [Fact]
    public async Task A_list_opened_before_lists_had_a_key_goes_on_with_random_indexes_and_never_reuses_one()
    {
        var ods = Seed.NewOds();
        var now = DateTimeOffset.UtcNow;
        // As the migration leaves a list opened before: no key, its first 100 positions used at indexes 0 to 99.
        var listId = await app.WithDbAsync(async db =>
        {
            var legacy = new StatusListRecord { OdsCode = ods, Size = 1024, Data = new byte[256], UpdatedAt = now, Allocated = 100 };
            db.StatusLists.Add(legacy);
            await db.SaveChangesAsync();
            db.Credentials.AddRange(Enumerable.Range(0, 100).Select(i => new IssuedCredential
            {
                OdsCode = ods, StaffId = Guid.NewGuid(), Type = "training", Vct = "v", Claims = "{}", StatusListId = legacy.Id,
                StatusIndex = i, IssuedAt = now, ExpiresAt = now.AddYears(1), KeyId = "k",
            }));
            await db.SaveChangesAsync();
            return legacy.Id;
        });

        Assert.Equal(300, await IssueWithSlotsAsync(ods, 300));

        var rows = await app.WithDbAsync(db => db.Credentials.AsNoTracking().Where(c => c.OdsCode == ods).Select(c => new { c.StatusListId, c.StatusIndex }).ToListAsync());
        Assert.Equal(400, rows.Count);
        Assert.All(rows, r => Assert.Equal(listId, r.StatusListId));
        Assert.Equal(400, rows.Select(r => r.StatusIndex).Distinct().Count());
        var list = await app.WithDbAsync(db => db.StatusLists.AsNoTracking().SingleAsync(l => l.Id == listId));
        Assert.Null(list.PermutationKey);
        Assert.Equal(400, list.Allocated);
    }

    [Fact]
    public async Task Positions_taken_inside_a_transaction_that_rolls_back_are_given_back()
    {
        var ods = Seed.NewOds();
        await IssueWithSlotsAsync(ods, 10);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(30, (await ListsOf1024(scope).AllocateAsync(ods, 30, CancellationToken.None)).Count);
            await transaction.RollbackAsync();
        }

        var list = await app.WithDbAsync(db => db.StatusLists.AsNoTracking().SingleAsync(l => l.OdsCode == ods));
        Assert.Equal(10, list.Allocated);
    }
}
