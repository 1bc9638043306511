using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Passport.Messaging;

namespace Passport.Issuer.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string Section = "Issuer:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/issuer.db";

    /// <summary>Apply migrations at start-up (embedded default). Production applies them with the migrate command or Job.</summary>
    public bool MigrateOnStart { get; set; }
}

internal static class IssuerDatabase
{
    public static IHostApplicationBuilder AddIssuerDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddDbContext<IssuerDbContext>((sp, o) => o
                .UseNpgsql(options.ConnectionString, n => n.MigrationsHistoryTable("__ef_migrations", IssuerDbContext.Schema))
                .OutboxInterceptor(sp));
        }
        else
        {
            builder.Services.AddDbContext<IssuerDbContext, SqliteIssuerDbContext>((sp, o) => o
                .UseSqlite(options.ConnectionString)
                .OutboxInterceptor(sp));
        }
        builder.Services.AddOutbox<IssuerDbContext>();
        builder.Services.AddHealthChecks().AddDbContextCheck<IssuerDbContext>("issuer-db", tags: [ServiceDefaults.Hosting.ReadyTag]);
        return builder;
    }

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
        if (db.Database.IsSqlite() && db.Database.GetDbConnection().DataSource is { Length: > 0 } file)
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".");
        await db.Database.MigrateAsync(cancellationToken);
    }
}
