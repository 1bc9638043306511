using Passport.ServiceDefaults;

namespace Passport.Verifier.Data;

internal static class VerifierDatabase
{
    public const string Section = "Verifier:Database";

    public static IHostApplicationBuilder AddVerifierDatabase(this IHostApplicationBuilder builder) =>
        builder.AddPassportDatabase<VerifierDbContext, SqliteVerifierDbContext>(Section, VerifierDbContext.Schema, "data/verifier.db");

    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Database.MigrateAsync<VerifierDbContext>(services, cancellationToken);
}
