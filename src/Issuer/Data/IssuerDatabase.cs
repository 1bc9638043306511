using Passport.ServiceDefaults;

namespace Passport.Issuer.Data;

internal static class IssuerDatabase
{
    public const string Section = "Issuer:Database";

    public static IHostApplicationBuilder AddIssuerDatabase(this IHostApplicationBuilder builder) =>
        builder.AddPassportDatabase<IssuerDbContext, SqliteIssuerDbContext>(Section, IssuerDbContext.Schema, "data/issuer.db");

    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Database.MigrateAsync<IssuerDbContext>(services, cancellationToken);
}
