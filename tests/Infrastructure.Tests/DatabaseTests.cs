using Microsoft.EntityFrameworkCore;
using Npgsql;
using Passport.Testing;

namespace Passport.Infrastructure.Tests;

public sealed class DatabaseTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await using var db = NotesDbContext.Create(database.ConnectionString);
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_test_class_gets_its_own_migrated_database()
    {
        await using var db = NotesDbContext.Create(database.ConnectionString);

        Assert.StartsWith("passport_test_", database.Name, StringComparison.Ordinal);
        Assert.Equal(database.Name, db.Database.GetDbConnection().Database);
        var migration = Assert.Single(await db.Database.GetAppliedMigrationsAsync());
        Assert.EndsWith("_CreateNotes", migration, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_row_written_is_read_back_by_another_context()
    {
        var note = new Note { Id = Guid.NewGuid(), Text = "Enhanced DBS checked" };
        await using (var writer = NotesDbContext.Create(database.ConnectionString))
        {
            writer.Notes.Add(note);
            await writer.SaveChangesAsync();
        }

        await using var reader = NotesDbContext.Create(database.ConnectionString);
        var text = await reader.Notes.AsNoTracking().Where(n => n.Id == note.Id).Select(n => n.Text).SingleAsync();

        Assert.Equal("Enhanced DBS checked", text);
    }

    [Fact]
    public async Task A_test_database_is_dropped_on_dispose_even_while_a_connection_is_open()
    {
        var other = new PostgresDatabase();
        await other.InitializeAsync();
        Assert.True(await ExistsAsync(other.Name));

        await using var leaked = new NpgsqlConnection(other.ConnectionString);
        await leaked.OpenAsync();
        await other.DisposeAsync();

        Assert.False(await ExistsAsync(other.Name));
    }

    private static async Task<bool> ExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection);
        command.Parameters.AddWithValue(name);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
