using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="KeyEndpoints"/>.</summary>
internal static class KeyModule
{
    public static IHostApplicationBuilder AddIssuerKeys(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<KeyOptions>().BindConfiguration(KeyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KeyOptions>, KeyOptionsValidator>();
        services.AddSingleton<LocalKeyProtector>();
        services.AddSingleton<LocalJwsSigner>();
        services.AddHostedService<KeyEncryptionKeyCheck>();
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => new KeyVaultRestClient(
            sp.GetRequiredService<IOptions<KeyOptions>>(), sp.GetRequiredService<TokenCredential>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<HttpPipelineTransport>()));
        services.AddSingleton<KeyVaultJwsSigner>();
        services.AddScoped<SigningKeys>();
        // Exception handlers run in registration order and the service defaults' catch-all is registered first.
        services.Insert(0, ServiceDescriptor.Singleton<IExceptionHandler, KeyVaultExceptionHandler>());
        return builder;
    }
}
