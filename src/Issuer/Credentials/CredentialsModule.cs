namespace Passport.Issuer.Credentials;

/// <summary>Issuing, signing and changing the status of credentials: for HR's routes, bulk import, offers and placements.</summary>
internal static class CredentialsModule
{
    public static IHostApplicationBuilder AddIssuerCredentials(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CredentialMinter>();
        builder.Services.AddScoped<CredentialIssuance>();
        builder.Services.AddScoped<CredentialStatusChanges>();
        return builder;
    }
}
