using Npgsql;
using Xunit;

namespace Passport.Testing;

/// <summary>
/// A fresh, empty PostgreSQL database for one test class, dropped when the class is done.
/// Use as <c>IClassFixture&lt;PostgresDatabase&gt;</c> and migrate it with <c>MigrateAsync()</c>.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly string server = TestEnvironment.Postgres;

    public PostgresDatabase()
    {
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = Name }.ConnectionString;
    }

    public string Name { get; } = $"passport_test_{Guid.NewGuid():N}";

    public string ConnectionString { get; }

    public Task InitializeAsync() => ExecuteOnServerAsync($"CREATE DATABASE \"{Name}\"");

    public async Task DisposeAsync()
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        // FORCE: a test that leaked a connection must not leave its database behind. A session that is just closing can
        // still race the drop, so it is retried briefly.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException) when (attempt < 5)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
