using Passport.ServiceDefaults;
using Passport.Verifier.Decisions;

namespace Passport.Verifier.Presentations;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="PresentationEndpoints"/>.</summary>
internal static class PresentationModule
{
    public static IHostApplicationBuilder AddPresentations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestSigningOptions>().BindConfiguration(RequestSigningOptions.Section);
        builder.Services.AddSingleton<RequestObjectSigner>();
        return builder;
    }
}
