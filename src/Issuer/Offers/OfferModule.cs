using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Passport.Issuer.Catalogue;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;

namespace Passport.Issuer.Offers;

/// <summary>Registers the services of this feature; its routes are mapped in <see cref="OfferEndpoints"/>.</summary>
internal static class OfferModule
{
    public static IHostApplicationBuilder AddIssuerOffers(this IHostApplicationBuilder builder)
    {
        // The pre-authorized code of an offer fetched by reference is kept protected; every instance, and the same instance
        // after a restart, must be able to unprotect it, so the key ring lives in the Issuer's database, not on local disk.
        builder.Services.AddDataProtection().SetApplicationName("passport-issuer");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, DatabaseKeyRing>();
        builder.Services.AddSingleton<TxCodeDigests>();
        builder.Services.AddSingleton<NoncePurge>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NoncePurge>());
        return builder;
    }
}
