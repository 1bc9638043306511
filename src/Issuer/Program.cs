using Passport.Issuer;
using Passport.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPassportTelemetry();
builder.AddPassportAuthentication();
builder.AddIssuer();
builder.AddPassportBus(bus => bus.AddIssuerConsumers());

var app = builder.Build();
if (args.Contains("migrate"))
{
    await app.Services.MigrateIssuerAsync();
    return;
}
app.UseServiceDefaults();
app.MapServiceDefaults();
app.MapIssuer();
app.Run();
