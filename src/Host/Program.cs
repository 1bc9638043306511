using Passport.Host;
using Passport.Issuer;
using Passport.Issuer.Data;
using Passport.ServiceDefaults;
using Passport.Verifier;
using Passport.Web;

var builder = WebApplication.CreateBuilder(args);
var devTokens = builder.AddEmbeddedDefaults(args);
builder.AddServiceDefaults();
builder.AddPassportTelemetry();
builder.AddPassportAuthentication();
builder.AddIssuer();
builder.AddVerifier();
builder.AddVisitorNamesFromDeployments();
builder.AddPassportWeb();
builder.AddPassportBus(bus =>
{
    bus.AddIssuerConsumers();
    bus.AddVerifierConsumers();
});

var app = builder.Build();
await app.PrepareEmbeddedAsync();
app.UseServiceDefaults();
app.MapServiceDefaults();
app.MapIssuer();
app.MapVerifier();
app.MapPassportWeb();
if (devTokens is not null)
{
    app.MapPost("/dev/token", (DevelopmentTokens.TokenRequest request, IssuerDbContext db, CancellationToken cancellationToken) =>
        devTokens.MintAsync(request, db, cancellationToken)).AllowAnonymous().WithTags("Development")
        .WithSummary("Development only: an access token for any organisation and roles (POST {\"organisation\":\"RHQ\",\"roles\":[\"hr_issuer\"]})");
}

await app.StartAsync();
var seeded = devTokens is not null && await FirstRun.SeedAsync(app, devTokens, app.Lifetime.ApplicationStopping);
Welcome.Print(app, devTokens is not null, seeded);
await app.WaitForShutdownAsync();
