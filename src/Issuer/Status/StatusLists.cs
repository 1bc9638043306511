using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;

namespace Passport.Issuer.Status;

/// <summary>Where one credential's status lives.</summary>
public readonly record struct StatusSlot(int ListId, int Index);

/// <summary>
/// Allocates random, unused indexes in the organisation's 2-bit status lists (a random index reveals nothing about
/// issuance order, draft-ietf-oauth-status-list §12.5), opening a new list when the current one is more than half full.
/// </summary>
public sealed class StatusLists(IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    /// <summary>Reserves <paramref name="count"/> slots. The caller saves them with its credentials in the same SaveChanges.</summary>
    public async Task<IReadOnlyList<StatusSlot>> AllocateAsync(string odsCode, int count, CancellationToken cancellationToken)
    {
        var size = options.Value.StatusListSize;
        var slots = new List<StatusSlot>(count);
        var full = new HashSet<int>();
        while (slots.Count < count)
        {
            // The query sees committed counts; lists this unit of work has already filled are skipped by id.
            var list = await db.StatusLists.Where(l => l.OdsCode == odsCode && l.Allocated < l.Size / 2 && !full.Contains(l.Id))
                .OrderBy(l => l.Id).FirstOrDefaultAsync(cancellationToken);
            if (list is null)
            {
                // Outside a transaction, opened in a scope of its own: saving the caller's DbContext here would commit its unfinished
                // unit of work (a consumer's inbox row before the credential it stands for). Inside one, saving commits nothing yet,
                // and a second connection could wait on the caller's own locks (SQLite's single writer).
                if (db.Database.CurrentTransaction is not null)
                {
                    list = new StatusListRecord { OdsCode = odsCode, Size = size, Data = new byte[size / 4], UpdatedAt = time.GetUtcNow() };
                    db.StatusLists.Add(list);
                    await db.SaveChangesAsync(cancellationToken);
                }
                else
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var own = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
                    var opened = new StatusListRecord { OdsCode = odsCode, Size = size, Data = new byte[size / 4], UpdatedAt = time.GetUtcNow() };
                    own.StatusLists.Add(opened);
                    await own.SaveChangesAsync(cancellationToken);
                    list = await db.StatusLists.FirstAsync(l => l.Id == opened.Id, cancellationToken);
                }
            }
            var take = Math.Min(count - slots.Count, list.Size / 2 - list.Allocated);
            if (take <= 0)
            {
                full.Add(list.Id);
                continue;
            }
            foreach (var index in await PickUnusedAsync(list, take, cancellationToken))
                slots.Add(new StatusSlot(list.Id, index));
            list.Allocated += take;
        }
        return slots;
    }

    /// <summary>
    /// Random indexes not yet used in the list. Below half full, most random picks are free, so candidates are checked
    /// against the database in one query per round instead of reading every used index.
    /// </summary>
    private async Task<List<int>> PickUnusedAsync(StatusListRecord list, int count, CancellationToken cancellationToken)
    {
        var taken = new HashSet<int>();
        foreach (var local in db.ChangeTracker.Entries<Credentials.IssuedCredential>())
        {
            if (local.Entity.StatusListId == list.Id)
                taken.Add(local.Entity.StatusIndex);
        }
        var chosen = new List<int>(count);
        while (chosen.Count < count)
        {
            var candidates = new List<int>(count - chosen.Count);
            while (candidates.Count < count - chosen.Count)
            {
                var index = RandomNumberGenerator.GetInt32(list.Size);
                if (taken.Add(index))
                    candidates.Add(index);
            }
            var used = await db.Credentials.Where(c => c.StatusListId == list.Id && candidates.Contains(c.StatusIndex))
                .Select(c => c.StatusIndex).ToListAsync(cancellationToken);
            var usedSet = used.ToHashSet();
            chosen.AddRange(candidates.Where(i => !usedSet.Contains(i)));
        }
        return chosen;
    }
}
