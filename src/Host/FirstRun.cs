using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;
using Passport.Verifier.Agreements;
using Passport.Verifier.Data;

namespace Passport.Host;

/// <summary>
/// Demo data for the embedded default's first run: a home trust (RHQ) with staff and their credentials, and a host trust
/// (RXH) with a workforce sharing agreement those credentials meet. It goes in through the public API with development
/// tokens, so it passes the same validation, status lists, audit trail and events as anything HR or a verifier enters.
/// </summary>
internal static partial class FirstRun
{
    public const string HomeOds = "RHQ";
    public const string HostOds = "RXH";
    public const string AgreementTitle = "Mutual aid: Northgate (RHQ) staff at Eastbrook (RXH)";

    public static async Task<bool> SeedAsync(WebApplication app, DevelopmentTokens tokens, CancellationToken cancellationToken)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var issuer = scope.ServiceProvider.GetRequiredService<IssuerDbContext>();
            var verifier = scope.ServiceProvider.GetRequiredService<VerifierDbContext>();
            if (await issuer.Organisations.AnyAsync(cancellationToken) || await verifier.Set<Agreement>().AnyAsync(cancellationToken))
                return false;
        }

        using var http = new HttpClient { BaseAddress = LocalAddress(app), Timeout = TimeSpan.FromSeconds(30) };
        var today = DateOnly.FromDateTime(app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FirstRun));
        try
        {
            await SendAsync(http, HttpMethod.Put, "api/organisation", Token(tokens, HomeOds, PassportRoles.OrganisationAdmin),
                new JsonObject { ["name"] = "Northgate Hospitals NHS Trust (demo)" }, cancellationToken);
            await SendAsync(http, HttpMethod.Put, "api/organisation", Token(tokens, HostOds, PassportRoles.OrganisationAdmin),
                new JsonObject { ["name"] = "Eastbrook Community NHS Trust (demo)" }, cancellationToken);
            await SendAsync(http, HttpMethod.Put, "api/verifier-profile", Token(tokens, HostOds, PassportRoles.OrganisationAdmin),
                new JsonObject { ["name"] = "Eastbrook Community NHS Trust (demo)" }, cancellationToken);

            var hr = Token(tokens, HomeOds, PassportRoles.HrIssuer);
            foreach (var person in DemoStaff.All(today))
            {
                var staff = await SendAsync(http, HttpMethod.Post, "api/staff", hr, person.Record, cancellationToken);
                var id = staff["id"]!.GetValue<string>();
                foreach (var (type, claims) in person.Credentials)
                {
                    await SendAsync(http, HttpMethod.Post, $"api/staff/{id}/credentials", hr, new JsonObject
                    {
                        ["type"] = type,
                        ["sourceReference"] = $"demo-{person.Record["assignmentNumber"]}-{type}-{claims["subject"] ?? "1"}",
                        ["claims"] = claims,
                        ["reason"] = "Demo data for the embedded default's first run",
                    }, cancellationToken);
                }
            }

            var vcts = await VctsAsync(http, hr, cancellationToken);
            await SendAsync(http, HttpMethod.Post, "api/agreements", Token(tokens, HostOds, PassportRoles.OrganisationAdmin),
                DemoAgreement.Json(vcts, today), cancellationToken);
            return true;
        }
        catch (HttpRequestException e)
        {
            LogSeedFailed(log, e);
            return false;
        }
    }

    /// <summary>Where this process answers, as a client on the same machine reaches it.</summary>
    public static Uri LocalAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault() ?? "http://localhost:5000";
        return new Uri(EmbeddedDefaults.Reachable(address).TrimEnd('/') + "/");
    }

    private static string Token(DevelopmentTokens tokens, string ods, string role) => tokens.CreateToken(ods, [role], subject: $"first-run-{ods}-{role}");

    private static async Task<Dictionary<string, string>> VctsAsync(HttpClient http, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/catalogue");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "GET api/catalogue", cancellationToken);
        var types = await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken) ?? [];
        return types.OfType<JsonObject>().ToDictionary(t => t["type"]!.GetValue<string>(), t => t["vct"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string path, string token, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"{method} {path}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? [];
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Error, Message = "Seeding the demo organisations failed; the service runs without them. Delete the data folder to try again.")]
    private static partial void LogSeedFailed(ILogger logger, Exception exception);
}
