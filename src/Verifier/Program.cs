using Passport.Verifier;
using Passport.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPassportTelemetry();
builder.AddPassportAuthentication();
builder.AddVerifier();
builder.AddPassportBus(bus => bus.AddVerifierConsumers());

var app = builder.Build();
if (args.Contains("migrate"))
{
    await app.Services.MigrateVerifierAsync();
    return;
}
app.UseServiceDefaults();
app.MapServiceDefaults();
app.MapVerifier();
app.Run();
