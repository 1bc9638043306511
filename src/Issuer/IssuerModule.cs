using MassTransit;
using Passport.Issuer.Audit;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Credentials;
using Passport.Issuer.Data;
using Passport.Issuer.Deployments;
using Passport.Issuer.Expiry;
using Passport.Issuer.HostedWallet;
using Passport.Issuer.Import;
using Passport.Issuer.MutualAid;
using Passport.Issuer.Offers;
using Passport.Issuer.Keys;
using Passport.Issuer.Placements;
using Passport.Issuer.Notifications;
using Passport.Issuer.Organisations;
using Passport.Issuer.Retention;
using Passport.Issuer.Staff;
using Passport.Issuer.Status;
using Passport.ServiceDefaults;

namespace Passport.Issuer;

public static class IssuerModule
{
    /// <summary>The Issuer's services. The host adds service defaults, authentication and the bus.</summary>
    public static IHostApplicationBuilder AddIssuer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IssuerOptions>().BindConfiguration(IssuerOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl.Scheme == Uri.UriSchemeHttps || builder.Environment.AllowsEmbeddedDefaults(),
                "Issuer:PublicBaseUrl must be an https URL outside Development: identifiers and URIs built on it are published.")
            .ValidateOnStart();
        // Here, not in the service defaults: the generated validators of this assembly's requests join at this call.
        builder.Services.AddValidation();
        builder.AddIssuerDatabase();
        builder.AddIssuerOffers();
        builder.AddIssuerKeys();
        builder.AddIssuerStatus();
        builder.AddIssuerExpiryAlerts();
        builder.AddIssuerCatalogue();
        builder.AddIssuerStaff();
        builder.AddIssuerCredentials();
        builder.AddIssuerImport();
        builder.AddIssuerRetention();
        builder.AddIssuerPlacements();
        builder.AddIssuerHostedWallet();
        builder.AddIssuerNotifications();
        builder.AddIssuerReference();
        return builder;
    }

    /// <summary>The Issuer's message consumers, registered on the host's bus.</summary>
    public static IBusRegistrationConfigurator AddIssuerConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddIssuerDeploymentConsumers();
        bus.AddIssuerPlacementConsumers();
        bus.AddIssuerNotificationConsumers();
        bus.AddIssuerMutualAidConsumers();
        return bus;
    }

    public static IEndpointRouteBuilder MapIssuer(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapIssuerOffers();
        app.MapIssuerKeys();
        app.MapIssuerStatus();
        app.MapIssuerDeployments();
        app.MapIssuerPlacements();
        app.MapOrganisations();
        app.MapStaff();
        app.MapCatalogue();
        app.MapCredentials();
        app.MapAudit();
        app.MapIssuerImport();
        app.MapIssuerHostedWallet();
        app.MapIssuerNotifications();
        app.MapIssuerMutualAid();
        return app;
    }

    /// <summary>Applies the Issuer's migrations (the migrate command, tests, and the embedded default at start-up).</summary>
    public static Task MigrateIssuerAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        IssuerDatabase.MigrateAsync(services, cancellationToken);
}
