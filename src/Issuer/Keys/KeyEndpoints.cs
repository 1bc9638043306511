using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Keys;

internal static class KeyEndpoints
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
        services.AddSingleton<IKeyVaultClient>(sp => new KeyVaultRestClient(
            sp.GetRequiredService<IOptions<KeyOptions>>(), sp.GetRequiredService<TokenCredential>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<HttpPipelineTransport>()));
        services.AddSingleton<KeyVaultJwsSigner>();
        services.AddScoped<SigningKeys>();
        services.AddScoped<ISigningKeys>(sp => sp.GetRequiredService<SigningKeys>());
        // Exception handlers run in registration order and the service defaults' catch-all is registered first.
        services.Insert(0, ServiceDescriptor.Singleton<IExceptionHandler, KeyVaultExceptionHandler>());
        return builder;
    }

    public static IEndpointRouteBuilder MapIssuerKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwt-vc-issuer/issuers/{ods}", GetIssuerMetadata.Handle)
            .AllowAnonymous()
            .WithTags("Keys")
            .WithSummary("JWT VC Issuer Metadata: the organisation's issuer identifier and published keys (JWKS)");

        var keys = app.MapGroup("/api/keys").RequireAuthorization(PassportPolicies.OrganisationAdmin).WithTags("Keys");
        keys.MapGet("/", ListKeys.Handle).WithSummary("The organisation's signing keys (public lifecycle only)");
        keys.MapPost("/rotate", RotateKey.Handle).WithSummary("Switch signing to a new key; the old one stays published until what it signed expires");
        return app;
    }
}
