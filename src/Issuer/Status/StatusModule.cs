namespace Passport.Issuer.Status;

internal static class StatusModule
{
    public static IHostApplicationBuilder AddIssuerStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<StatusLists>();
        return builder;
    }
}
