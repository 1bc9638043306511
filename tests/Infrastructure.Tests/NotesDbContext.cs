using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Passport.Infrastructure.Tests;

internal sealed class Note
{
    public Guid Id { get; init; }

    public required string Text { get; init; }
}

internal sealed class NotesDbContext(DbContextOptions<NotesDbContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    public static NotesDbContext Create(string connectionString) =>
        new(new DbContextOptionsBuilder<NotesDbContext>().UseNpgsql(connectionString).Options);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema("notes");
        modelBuilder.Entity<Note>().Property(note => note.Text).HasMaxLength(200);
    }
}

// For `dotnet ef migrations add`, which only needs the model, never a server.
internal sealed class NotesDbContextFactory : IDesignTimeDbContextFactory<NotesDbContext>
{
    public NotesDbContext CreateDbContext(string[] args) => NotesDbContext.Create("Host=localhost");
}
