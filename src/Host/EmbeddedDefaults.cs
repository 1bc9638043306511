using Microsoft.Extensions.Configuration.Memory;
using Passport.Issuer;
using Passport.Verifier;
using Passport.ServiceDefaults;

namespace Passport.Host;

/// <summary>
/// The embedded default: Issuer and Verifier in one process, SQLite files under a data folder, the in-memory bus,
/// a generated development signing key and a development token issuer. Every setting can still be overridden.
/// </summary>
internal static class EmbeddedDefaults
{
    public const string DataFolderKey = "Passport:DataFolder";
    public const string PublicBaseUrlKey = "Passport:PublicBaseUrl";

    /// <summary><c>--data</c> is short for <c>--Passport:DataFolder</c>.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal) { ["--data"] = DataFolderKey };

    public static DevelopmentTokens? AddEmbeddedDefaults(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        // Relative to the directory the command was started from (see Host.csproj's RunWorkingDirectory for dotnet run).
        var data = Path.GetFullPath(builder.Configuration[DataFolderKey] ?? "data");
        var baseUrl = WithSlash(builder.Configuration[PublicBaseUrlKey] ?? FirstListeningUrl(builder.Configuration["urls"]) ?? "http://localhost:5000/");
        var tokens = builder.Environment.IsDevelopment() ? DevelopmentTokens.Create(builder.Environment, data) : null;
        // The generated validator of the development token request joins at this call, made in this assembly.
        builder.Services.AddValidation();
        var defaults = new Dictionary<string, string?>
        {
            [DataFolderKey] = data,
            ["Issuer:PublicBaseUrl"] = baseUrl,
            ["Verifier:PublicBaseUrl"] = baseUrl,
            ["Verifier:Trust:IssuerBaseUrl"] = baseUrl,
            ["Issuer:Database:Provider"] = "Sqlite",
            ["Issuer:Database:ConnectionString"] = $"Data Source={Path.Combine(data, "issuer.db")}",
            ["Issuer:Database:MigrateOnStart"] = "true",
            ["Verifier:Database:Provider"] = "Sqlite",
            ["Verifier:Database:ConnectionString"] = $"Data Source={Path.Combine(data, "verifier.db")}",
            ["Verifier:Database:MigrateOnStart"] = "true",
            ["Bus:Transport"] = "InMemory",
            ["Issuer:Keys:Provider"] = "Local",
            // Beside the database whose keys it encrypts, wherever the host is started from.
            ["Issuer:Keys:DevelopmentKeyEncryptionKeyFile"] = Path.Combine(data, "issuer-kek.key"),
            // Per-request information logs would bury the welcome text; warnings and errors still show.
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging:LogLevel:MassTransit"] = "Warning",
        };
        if (tokens is not null)
        {
            defaults["Auth:Issuer"] = DevelopmentTokens.Issuer;
            defaults["Auth:Audience"] = DevelopmentTokens.Audience;
            defaults["Auth:SigningKeys"] = tokens.Jwks;
            defaults["Auth:RequireHttpsMetadata"] = "false";
            defaults["Verifier:Trust:AllowHttp"] = "true";
            defaults["Verifier:Trust:AllowPrivateNetworks"] = "true";
            defaults["Issuer:HostedWallet:AllowHttp"] = "true";
            defaults["Issuer:HostedWallet:AllowPrivateNetworks"] = "true";
            defaults["Web:DevelopmentSignIn"] = "true";
            builder.Services.Configure<ApiReferenceOptions>(o => o.Tags["Development"] =
                "Only in the embedded default's Development environment: access tokens from the development token issuer.");
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

    /// <summary>The first of ASPNETCORE_URLS / --urls, with a wildcard host made reachable, so identifiers name where we listen.</summary>
    private static string? FirstListeningUrl(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return first is null ? null : Reachable(first);
    }

    public static string Reachable(string url) =>
        url.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
