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
        // FORCE: a test that leaked a connection must not leave its database behind.
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
