using MassTransit;
using Passport.Verifier.Data;

namespace Passport.Verifier;

public static class VerifierModule
{
    /// <summary>The Verifier's services. The host adds service defaults, authentication and the bus.</summary>
    public static IHostApplicationBuilder AddVerifier(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<VerifierOptions>().BindConfiguration(VerifierOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddVerifierDatabase();
        return builder;
    }

    /// <summary>The Verifier's message consumers, registered on the host's bus.</summary>
    public static IBusRegistrationConfigurator AddVerifierConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        return bus;
    }

    public static IEndpointRouteBuilder MapVerifier(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app;
    }

    /// <summary>Applies the Verifier's migrations (the migrate command, tests, and the embedded default at start-up).</summary>
    public static Task MigrateVerifierAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        VerifierDatabase.MigrateAsync(services, cancellationToken);
}
