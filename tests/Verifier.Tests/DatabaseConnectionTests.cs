using Microsoft.EntityFrameworkCore;
using Npgsql;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Tests;

/// <summary>The Verifier's PostgreSQL connections: statements it repeats are prepared once, and an operator's own settings win.</summary>
public sealed class DatabaseConnectionTests(VerifierApp app) : IClassFixture<VerifierApp>
{
    [Fact]
    public async Task A_statement_run_again_and_again_on_a_connection_is_prepared_by_the_server()
    {
        var prepared = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            for (var i = 0; i < 8; i++)
                await db.Database.ExecuteSqlRawAsync("SELECT count(*) FROM pg_class WHERE relname = 'passport_auto_prepare'");
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%passport_auto_prepare%'";
            return (long)(await command.ExecuteScalarAsync())!;
        });

        Assert.Equal(1, prepared);
    }

    [Fact]
    public void Auto_prepare_and_no_reset_on_close_are_defaults_an_operator_can_turn_off()
    {
        var defaults = new NpgsqlConnectionStringBuilder(Database.WithPostgresDefaults("Host=db;Database=passport"));
        var chosen = new NpgsqlConnectionStringBuilder(Database.WithPostgresDefaults("Host=db;Database=passport;Max Auto Prepare=0;No Reset On Close=false"));

        Assert.Equal(64, defaults.MaxAutoPrepare);
        Assert.True(defaults.NoResetOnClose);
        Assert.Equal(0, chosen.MaxAutoPrepare);
        Assert.False(chosen.NoResetOnClose);
    }
}
