using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.HostedWallet;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="HostedWalletEndpoints"/>.</summary>
internal static class HostedWalletModule
{
    public static IHostApplicationBuilder AddIssuerHostedWallet(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostedWalletOptions>().BindConfiguration(HostedWalletOptions.Section);
        builder.Services.AddHttpClient(HostedWalletHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => HostedWalletHttp.CreateHandler(
                services.GetRequiredService<IOptions<HostedWalletOptions>>().Value.AllowPrivateNetworks
                && !services.GetRequiredService<IHostEnvironment>().IsProduction()));
        builder.Services.AddSingleton<HostedWalletHttp>();
        builder.Services.AddSingleton<HostedWalletKeys>();
        builder.Services.AddScoped<HostedWalletPresenter>();
        return builder;
    }
}
