using Passport.Credentials.SdJwt;
using Passport.ServiceDefaults;

namespace Passport.Verifier.Decisions;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="DecisionEndpoints"/>.</summary>
internal static class DecisionModule
{
    public static IHostApplicationBuilder AddDecisions(this IHostApplicationBuilder builder)
    {
        // One for the process: a holder's key is imported once, not once per request.
        builder.Services.AddSingleton(new HolderKeyCache(new SdJwtVcVerifierOptions().HolderKeyCacheSize));
        builder.Services.AddScoped<PresentationCheck>();
        builder.Services.AddScoped<HostedWalletCheck>();
        builder.Services.AddScoped<DecisionMaker>();
        builder.Services.AddSingleton<DecisionWriter>();
        DecisionWebhook.Register(builder.Services);
        return builder;
    }
}
