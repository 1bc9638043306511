using MassTransit;
using Passport.Messaging;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;
using Passport.Verifier.Decisions;
using Passport.Verifier.Deployments;
using Passport.Verifier.Notifications;
using Passport.Verifier.MutualAid;
using Passport.Verifier.Presentations;
using Passport.Verifier.Profile;
using Passport.Verifier.Retention;
using Passport.Verifier.Trust;

namespace Passport.Verifier;

public static class VerifierModule
{
    /// <summary>The Verifier's services. The host adds service defaults, authentication and the bus.</summary>
    public static IHostApplicationBuilder AddVerifier(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<VerifierOptions>().BindConfiguration(VerifierOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps || builder.Environment.AllowsEmbeddedDefaults(),
                "Verifier:PublicBaseUrl must be an https URL outside Development: identifiers and URIs built on it are published.")
            .ValidateOnStart();
        // Here, not in the service defaults: the generated validators of this assembly's requests join at this call.
        builder.Services.AddValidation();
        builder.AddVerifierDatabase();
        builder.AddVerifierTrust();
        builder.AddPresentations();
        builder.AddDecisions();
        builder.AddVerifierRetention();
        builder.AddVerifierNotifications();
        builder.AddVerifierReference();
        builder.AddVerifierMutualAid();
        return builder;
    }

    /// <summary>The Verifier's message consumers, registered on the host's bus.</summary>
    public static IBusRegistrationConfigurator AddVerifierConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddBatchConsumer<CredentialRevokedConsumer>();
        bus.AddBatchConsumer<CredentialSuspendedConsumer>();
        bus.AddConsumer<CredentialReinstatedConsumer>();
        bus.AddBatchConsumer<CredentialExpiringConsumer>();
        bus.AddConsumer<DeploymentApprovedConsumer>();
        bus.AddConsumer<DeploymentDeclinedConsumer>();
        bus.AddVerifierNotificationConsumers();
        bus.AddVerifierMutualAidConsumers();
        return bus;
    }

    public static IEndpointRouteBuilder MapVerifier(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAgreements();
        app.MapPresentations();
        app.MapDecisions();
        app.MapDeployments();
        app.MapVerifierProfile();
        app.MapVerifierNotifications();
        app.MapVerifierMutualAid();
        return app;
    }

    /// <summary>Applies the Verifier's migrations (the migrate command, tests, and the embedded default at start-up).</summary>
    public static Task MigrateVerifierAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        VerifierDatabase.MigrateAsync(services, cancellationToken);
}
