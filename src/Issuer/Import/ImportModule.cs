using Passport.ServiceDefaults;

namespace Passport.Issuer.Import;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="ImportEndpoints"/>.</summary>
internal static class ImportModule
{
    public static IHostApplicationBuilder AddIssuerImport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<ImportWorker>();
        return builder;
    }
}
