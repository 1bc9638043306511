using Microsoft.Extensions.Options;

namespace Passport.Verifier.Trust;

internal static class TrustServices
{
    public static IHostApplicationBuilder AddVerifierTrust(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustOptions>().BindConfiguration(TrustOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustOptions>, TrustOptionsValidator>();
        builder.Services.AddHttpClient(TrustFetcher.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => TrustFetcher.CreateHandler(services.GetRequiredService<IOptions<TrustOptions>>().Value));
        builder.Services.AddSingleton<TrustFetcher>();
        builder.Services.AddSingleton<IssuerKeys>();
        builder.Services.AddSingleton<ITrustedIssuers, TrustedIssuers>();
        builder.Services.AddSingleton<StatusListClient>();
        return builder;
    }
}
