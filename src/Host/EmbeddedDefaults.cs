using Microsoft.Extensions.Configuration.Memory;
using Passport.Issuer;
using Passport.Verifier;

namespace Passport.Host;

/// <summary>
/// The embedded default: Issuer and Verifier in one process, SQLite files under a data folder, the in-memory bus,
/// a generated development signing key and a development token issuer. Every setting can still be overridden.
/// </summary>
internal static class EmbeddedDefaults
{
    public static DevelopmentTokens? AddEmbeddedDefaults(this WebApplicationBuilder builder)
    {
        var data = Path.GetFullPath(builder.Configuration["Passport:DataFolder"] ?? "data");
        var baseUrl = builder.Configuration["Passport:PublicBaseUrl"] ?? "http://localhost:5000/";
        var tokens = builder.Environment.IsDevelopment() ? DevelopmentTokens.Create(builder.Environment, data) : null;
        var defaults = new Dictionary<string, string?>
        {
            ["Issuer:PublicBaseUrl"] = baseUrl,
            ["Verifier:PublicBaseUrl"] = baseUrl,
            ["Issuer:Database:Provider"] = "Sqlite",
            ["Issuer:Database:ConnectionString"] = $"Data Source={Path.Combine(data, "issuer.db")}",
            ["Issuer:Database:MigrateOnStart"] = "true",
            ["Verifier:Database:Provider"] = "Sqlite",
            ["Verifier:Database:ConnectionString"] = $"Data Source={Path.Combine(data, "verifier.db")}",
            ["Verifier:Database:MigrateOnStart"] = "true",
            ["Bus:Transport"] = "InMemory",
            ["Issuer:Keys:Provider"] = "Local",
            ["Issuer:Keys:DataFolder"] = data,
        };
        if (tokens is not null)
        {
            defaults["Auth:Issuer"] = DevelopmentTokens.Issuer;
            defaults["Auth:Audience"] = DevelopmentTokens.Audience;
            defaults["Auth:SigningKeys"] = tokens.Jwks;
            defaults["Auth:RequireHttpsMetadata"] = "false";
            defaults["Verifier:Trust:AllowHttp"] = "true";
            defaults["Verifier:Trust:AllowPrivateNetworks"] = "true";
        }
        // Lowest priority: appsettings, environment variables and the command line all win over these.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        return tokens;
    }

    public static async Task PrepareEmbeddedAsync(this WebApplication app)
    {
        await app.Services.MigrateIssuerAsync();
        await app.Services.MigrateVerifierAsync();
    }
}
