using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Passport.Issuer.Data;

namespace Passport.Issuer.Status;

/// <summary>Where one credential's status lives.</summary>
public readonly record struct StatusSlot(int ListId, int Index);

/// <summary>
/// Allocates unused indexes in the organisation's 2-bit status lists, opening a new list when the current one is half full.
/// A list hands out positions 0, 1, 2, ... through an atomic counter (<see cref="StatusListRecord.Allocated"/>), and position n
/// takes index <see cref="StatusIndexPermutation"/>[n] under the list's secret key: each index once, in an order that reveals
/// nothing about issuance order (draft-ietf-oauth-status-list §12.5), with no query whatever the list's fill. The unique
/// index on (list, index) stays as the guard.
/// </summary>
public sealed class StatusLists(IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time, IServiceScopeFactory scopes)
{
    /// <summary>Reserves <paramref name="count"/> slots. The caller saves them with its credentials in the same SaveChanges.</summary>
    /// <remarks>
    /// Outside a transaction the positions are taken at once, like a sequence's values: two issuances never wait for or collide
    /// with each other, and a batch that then fails leaves its positions unused for good (the list fills a little sooner).
    /// Inside one they are taken with the caller's transaction, and given back if it rolls back.
    /// </remarks>
    public async Task<IReadOnlyList<StatusSlot>> AllocateAsync(string odsCode, int count, CancellationToken cancellationToken)
    {
        var slots = new List<StatusSlot>(count);
        while (slots.Count < count)
        {
            var list = await db.StatusLists.AsNoTracking().Where(l => l.OdsCode == odsCode && l.Allocated < l.Size / 2)
                .OrderBy(l => l.Id).Select(l => new OpenList(l.Id, l.Size, l.Allocated, l.PermutationKey)).FirstOrDefaultAsync(cancellationToken)
                ?? await OpenAsync(odsCode, cancellationToken);
            var take = Math.Min(count - slots.Count, list.Size / 2 - list.Allocated);
            // Another issuance took positions since the read: read again.
            if (await ReserveAsync(list.Id, take, cancellationToken) is not { } first)
                continue;
            if (list.PermutationKey is { } key)
            {
                using var permutation = new StatusIndexPermutation(key, list.Size);
                for (var position = first; position < first + take; position++)
                    slots.Add(new StatusSlot(list.Id, permutation[position]));
            }
            else
            {
                foreach (var index in await PickUnusedAsync(list.Id, list.Size, take, cancellationToken))
                    slots.Add(new StatusSlot(list.Id, index));
            }
        }
        return slots;
    }

    private sealed record OpenList(int Id, int Size, int Allocated, byte[]? PermutationKey);

    private async Task<OpenList> OpenAsync(string odsCode, CancellationToken cancellationToken)
    {
        var size = options.Value.StatusListSize;
        var list = new StatusListRecord
        {
            OdsCode = odsCode, Size = size, Data = new byte[size / 4], UpdatedAt = time.GetUtcNow(), PermutationKey = StatusIndexPermutation.NewKey(),
        };
        // Outside a transaction, opened in a scope of its own: saving the caller's DbContext here would commit its unfinished
        // unit of work (a consumer's inbox row before the credential it stands for). Inside one, saving commits nothing yet,
        // and a second connection could wait on the caller's own locks (SQLite's single writer).
        if (db.Database.CurrentTransaction is not null)
        {
            db.StatusLists.Add(list);
            await db.SaveChangesAsync(cancellationToken);
            // Its counter moves by SQL from here on; a tracked copy would only go stale.
            db.Entry(list).State = EntityState.Detached;
        }
        else
        {
            await using var scope = scopes.CreateAsyncScope();
            var own = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            own.StatusLists.Add(list);
            await own.SaveChangesAsync(cancellationToken);
        }
        return new OpenList(list.Id, list.Size, 0, list.PermutationKey);
    }

    /// <summary>
    /// Takes <paramref name="take"/> positions in one statement, if the list still has them, and returns the first: concurrent
    /// callers get disjoint ranges without reading first.
    /// </summary>
    private async Task<int?> ReserveAsync(int listId, int take, CancellationToken cancellationToken)
    {
        var reserved = await db.Database.SqlQueryRaw<int>(ReserveSql(db), take, listId).ToListAsync(cancellationToken);
        return reserved is [var after] ? after - take : null;
    }

    /// <summary>The reserving statement, with the table and column names from the model (the same for both providers but for the schema).</summary>
    private static string ReserveSql(IssuerDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(StatusListRecord))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(store)!);
        var (table, id, allocated, size) = (sql.DelimitIdentifier(store.Name, store.Schema), Column(nameof(StatusListRecord.Id)),
            Column(nameof(StatusListRecord.Allocated)), Column(nameof(StatusListRecord.Size)));
        return $"UPDATE {table} SET {allocated} = {allocated} + {{0}} WHERE {id} = {{1}} AND {allocated} + {{0}} <= {size} / 2 RETURNING {allocated} AS \"Value\"";
    }

    /// <summary>
    /// For a list opened before lists had a permutation key: random indexes not yet used in it. Below half full, most random
    /// picks are free, so candidates are checked against the database in one query per round instead of reading every used index.
    /// </summary>
    private async Task<List<int>> PickUnusedAsync(int listId, int size, int count, CancellationToken cancellationToken)
    {
        var taken = new HashSet<int>();
        foreach (var local in db.ChangeTracker.Entries<Credentials.IssuedCredential>())
        {
            if (local.Entity.StatusListId == listId)
                taken.Add(local.Entity.StatusIndex);
        }
        var chosen = new List<int>(count);
        while (chosen.Count < count)
        {
            var candidates = new List<int>(count - chosen.Count);
            while (candidates.Count < count - chosen.Count)
            {
                var index = RandomNumberGenerator.GetInt32(size);
                if (taken.Add(index))
                    candidates.Add(index);
            }
            var used = await db.Credentials.Where(c => c.StatusListId == listId && candidates.Contains(c.StatusIndex))
                .Select(c => c.StatusIndex).ToListAsync(cancellationToken);
            var usedSet = used.ToHashSet();
            chosen.AddRange(candidates.Where(i => !usedSet.Contains(i)));
        }
        return chosen;
    }
}
