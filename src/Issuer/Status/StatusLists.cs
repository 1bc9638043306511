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
public sealed class StatusLists(IssuerDbContext db, IOptions<IssuerOptions> options, TimeProvider time)
{
    /// <summary>Reserves <paramref name="count"/> slots. The caller saves them with its credentials in the same SaveChanges.</summary>
    public async Task<IReadOnlyList<StatusSlot>> AllocateAsync(string odsCode, int count, CancellationToken cancellationToken)
    {
        var size = options.Value.StatusListSize;
        var slots = new List<StatusSlot>(count);
        while (slots.Count < count)
        {
            var list = await db.StatusLists.Where(l => l.OdsCode == odsCode && l.Allocated < l.Size / 2)
                .OrderBy(l => l.Id).FirstOrDefaultAsync(cancellationToken);
            if (list is null)
            {
                list = new StatusListRecord { OdsCode = odsCode, Size = size, Data = new byte[size / 4], UpdatedAt = time.GetUtcNow() };
                db.StatusLists.Add(list);
                await db.SaveChangesAsync(cancellationToken);
            }
            var used = new HashSet<int>(await db.Credentials.Where(c => c.StatusListId == list.Id).Select(c => c.StatusIndex).ToListAsync(cancellationToken));
            foreach (var local in db.ChangeTracker.Entries<Credentials.IssuedCredential>())
            {
                if (local.Entity.StatusListId == list.Id)
                    used.Add(local.Entity.StatusIndex);
            }
            var take = Math.Min(count - slots.Count, list.Size / 2 - list.Allocated);
            for (var i = 0; i < take; i++)
            {
                int index;
                do
                    index = RandomNumberGenerator.GetInt32(list.Size);
                while (!used.Add(index));
                slots.Add(new StatusSlot(list.Id, index));
            }
            list.Allocated += take;
        }
        return slots;
    }
}
