using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Passport.Messaging;
using Passport.Testing;

namespace Passport.Events.Tests;

/// <summary>A context of this test alone, so that the inbox count it reads is not moved by any other test's consumers.</summary>
public sealed class InboxCountContext(DbContextOptions<InboxCountContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddOutboxAndInbox();
}

/// <summary>The inbox count (<c>passport.inbox.recorded</c>, and the health output) counts rows that committed, on real PostgreSQL.</summary>
public sealed class InboxTelemetryTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public async Task Inbox_rows_of_a_save_that_failed_are_not_counted_when_the_same_context_later_saves_something_else()
    {
        var services = new ServiceCollection().AddOutbox<InboxCountContext>()
            .AddDbContext<InboxCountContext>((sp, o) => o.UseNpgsql(database.ConnectionString).OutboxInterceptor(sp))
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<InboxCountContext>();
        await db.Database.EnsureCreatedAsync();
        var id = Guid.NewGuid();
        db.Add(new InboxMessage { MessageId = id, Consumer = "First", ProcessedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        Assert.Equal(1, MessagingTelemetry.InboxProcessed(nameof(InboxCountContext)));
        db.ChangeTracker.Clear();

        // The same message for the same consumer again: the primary key refuses it, and nothing commits.
        db.Add(new InboxMessage { MessageId = id, Consumer = "First", ProcessedAt = DateTimeOffset.UtcNow });
        db.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "First", ProcessedAt = DateTimeOffset.UtcNow });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.AddOutboxMessage(new { Note = "no inbox row in this save" }, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();

        Assert.Equal(1, MessagingTelemetry.InboxProcessed(nameof(InboxCountContext)));
        Assert.Equal(1, await db.Set<InboxMessage>().CountAsync());
    }
}
