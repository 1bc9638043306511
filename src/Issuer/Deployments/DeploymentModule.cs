using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Passport.Messaging;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Deployments;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="DeploymentEndpoints"/>.</summary>
internal static class DeploymentModule
{
    public static IBusRegistrationConfigurator AddIssuerDeploymentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddBatchConsumer<DeploymentRequestedConsumer>();
        bus.AddBatchConsumer<DeploymentStartedConsumer>();
        bus.AddBatchConsumer<DeploymentExtendedConsumer>();
        bus.AddBatchConsumer<DeploymentEndedConsumer>();
        bus.AddBatchConsumer<DeploymentFlaggedConsumer>();
        return bus;
    }
}
