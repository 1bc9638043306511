using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Passport.ServiceDefaults;
using Passport.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPassportTelemetry();
builder.AddPassportWeb();
if (builder.Configuration[$"{WebOptions.Section}:{nameof(WebOptions.DataProtectionKeysPath)}"] is { Length: > 0 } keys)
    builder.Services.AddDataProtection().SetApplicationName("Passport.Web").PersistKeysToFileSystem(new DirectoryInfo(keys));

var app = builder.Build();
app.UseServiceDefaults();
// Live: the process answers. Ready: the same checks as the services' (the pages keep no database or bus of their own).
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Hosting.ReadyTag), ResponseWriter = Telemetry.WriteHealthJsonAsync }).AllowAnonymous();
app.MapPassportWeb();
app.Run();
