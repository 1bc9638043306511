using Passport.ServiceDefaults;

namespace Passport.Verifier.Data;

internal static class VerifierDatabase
{
    public const string Section = "Verifier:Database";

    // Pooled: a context per request was 6% of the Verifier's CPU under load (issue #14). Nothing that matters keeps state on an
    // instance: DecisionMaker restores the transaction behaviour it changes (the pool resets it too), no code holds a context
    // beyond its scope, and the outbox interceptor's inbox count per context is removed by the save that made it, or that
    // failed or was cancelled (InboxTelemetryTests).
    public static IHostApplicationBuilder AddVerifierDatabase(this IHostApplicationBuilder builder) =>
        builder.AddPassportDatabase<VerifierDbContext, SqliteVerifierDbContext>(Section, VerifierDbContext.Schema, "data/verifier.db", pooled: true);

    public static Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        Database.MigrateAsync<VerifierDbContext>(services, cancellationToken);
}
