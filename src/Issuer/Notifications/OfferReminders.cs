using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Offers;
using Passport.Notifications;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Notifications;

public sealed class OfferReminderOptions
{
    public const string Section = "Issuer:OfferReminders";

    /// <summary>How often the pass looks for offers still waiting; a reminder goes once a week per offer.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Reminders per offer before it is left to HR: weeks 1 to this.</summary>
    public int MaxReminders { get; set; } = 4;

    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Once a week after HR offers credentials, reminds the person while none of them has been accepted or rejected (by the
/// wallet or on the staff pages) and they are still active. Each (offer, week) has one source id, so the pass may run
/// on every instance and as often as it likes: the unique index leaves one message.
/// </summary>
internal sealed class OfferReminderJob(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<OfferReminderOptions> options, ILogger<OfferReminderJob> log)
    : Housekeeping(time, log)
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => RemindAsync(cancellationToken);

    /// <summary>One pass; returns how many reminders it queued.</summary>
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        var messages = scope.ServiceProvider.GetRequiredService<IssuerMessages>();
        var now = Time.GetUtcNow();
        var o = options.Value;
        var newest = now - Week;
        var oldest = now - (Week * (o.MaxReminders + 1));
        var offers = await db.Offers.AsNoTracking()
            .Where(x => x.CreatedAt <= newest && x.CreatedAt > oldest)
            .OrderBy(x => x.CreatedAt).Take(o.BatchSize)
            .Select(x => new { x.Id, x.OdsCode, x.StaffId, x.CredentialIds, x.CreatedAt })
            .ToListAsync(cancellationToken);
        if (offers.Count == 0)
            return 0;
        var staffIds = offers.Select(x => x.StaffId).Distinct().ToList();
        var replied = (await db.WalletNotifications.AsNoTracking()
            .Where(n => staffIds.Contains(n.StaffId) && (n.Event == WalletNotification.EventAccepted || n.Event == WalletNotification.EventDeleted))
            .Select(n => n.CredentialId).ToListAsync(cancellationToken)).ToHashSet();
        var active = (await db.Credentials.AsNoTracking()
            .Where(c => staffIds.Contains(c.StaffId) && c.Status == CredentialStatus.Active)
            .Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();
        var due = offers
            .Select(x => new { Offer = x, Week = (int)((now - x.CreatedAt) / Week) })
            .Where(x => x.Week is >= 1 && x.Week <= o.MaxReminders)
            .Where(x => x.Offer.CredentialIds.Any(active.Contains) && !x.Offer.CredentialIds.Any(replied.Contains))
            .Select(x => new { x.Offer, Source = NotificationSource.From($"offer-reminder:{x.Offer.Id}:{x.Week}") })
            .ToList();
        var sources = due.Select(x => x.Source).ToList();
        var sent = (await db.Set<Notification>().AsNoTracking().Where(n => sources.Contains(n.SourceId)).Select(n => n.SourceId).ToListAsync(cancellationToken)).ToHashSet();
        var queued = 0;
        foreach (var x in due.Where(x => !sent.Contains(x.Source)))
            queued += await messages.ToStaffAsync(db, x.Offer.StaffId, x.Offer.OdsCode, x.Source, org => messages.OfferReminder(org, x.Offer.CreatedAt), now, cancellationToken);
        if (queued == 0)
            return 0;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another instance queued the same reminders first: its rows stand.
            return 0;
        }
        return queued;
    }
}
