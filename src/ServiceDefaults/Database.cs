using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Passport.Messaging;

namespace Passport.ServiceDefaults;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Apply migrations at start-up (embedded default). Production applies them with the migrate command or Job.</summary>
    public bool MigrateOnStart { get; set; }
}

public static class Database
{
    /// <summary>
    /// A service's DbContext on PostgreSQL (production, tests) or SQLite (embedded default), each provider with its own
    /// migrations, the outbox dispatcher, and a readiness check. <paramref name="pooled"/> reuses context instances across
    /// requests (EF Core's context pool, which resets each one's tracked entities and settings on return): only for a context
    /// whose service keeps no state of its own on an instance.
    /// </summary>
    public static IHostApplicationBuilder AddPassportDatabase<TContext, TSqliteContext>(
        this IHostApplicationBuilder builder, string section, string schema, string defaultSqliteFile, bool pooled = false)
        where TContext : DbContext
        where TSqliteContext : TContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DatabaseOptions>(typeof(TContext).Name).BindConfiguration(section)
            .Validate(o => o.Provider == DatabaseProvider.Sqlite || !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"{section}: with Provider=Postgres, set {section}:ConnectionString.")
            .Validate(o => o.Provider == DatabaseProvider.Postgres || builder.Environment.AllowsEmbeddedDefaults(),
                $"{section}: SQLite is the embedded default for a first run; in {builder.Environment.EnvironmentName} set {section}:Provider=Postgres and a connection string.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Provider == DatabaseProvider.Postgres)
        {
            // Once here: the options action below runs for every scope, that is for every request.
            var connectionString = WithPostgresDefaults(options.ConnectionString);
            void Postgres(IServiceProvider sp, DbContextOptionsBuilder o) => o
                .UseNpgsql(connectionString, n => n.MigrationsHistoryTable("__ef_migrations", schema))
                .OutboxInterceptor(sp);
            if (pooled)
                builder.Services.AddDbContextPool<TContext>(Postgres);
            else
                builder.Services.AddDbContext<TContext>(Postgres);
        }
        else
        {
            var connection = string.IsNullOrWhiteSpace(options.ConnectionString) ? $"Data Source={defaultSqliteFile}" : options.ConnectionString;
            void Sqlite(IServiceProvider sp, DbContextOptionsBuilder o) => o.UseSqlite(connection).OutboxInterceptor(sp);
            if (pooled)
                builder.Services.AddDbContextPool<TContext, TSqliteContext>(Sqlite);
            else
                builder.Services.AddDbContext<TContext, TSqliteContext>(Sqlite);
        }
        builder.Services.AddOutbox<TContext>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>(typeof(TContext).Name, tags: [Hosting.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Npgsql settings every service wants unless its connection string says otherwise. Auto-prepare: each request runs the same
    /// few statements, which PostgreSQL then parses and plans once per connection instead of every time. No reset on close: no
    /// code keeps session state on a connection (no SET, LISTEN, temporary tables or session advisory locks), so the reset that
    /// a pooled connection would otherwise send before its next use is work for nothing.
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        // Npgsql's own builder says every keyword it knows is there; a plain one holds only what the string sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("MaxAutoPrepare"))
            builder.MaxAutoPrepare = 64;
        if (!given.Contains("NoResetOnClose"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    /// <summary>Development and test runs may use the embedded defaults (SQLite, in-memory bus, http); production may not.</summary>
    public static bool AllowsEmbeddedDefaults(this IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment() || environment.IsEnvironment("Testing");
    }

    public static async Task MigrateAsync<TContext>(IServiceProvider services, CancellationToken cancellationToken) where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (db.Database.IsSqlite() && db.Database.GetDbConnection().DataSource is { Length: > 0 } file)
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
        await db.Database.MigrateAsync(cancellationToken);
    }
}
