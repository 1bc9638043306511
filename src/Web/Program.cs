using Passport.ServiceDefaults;
using Passport.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPassportTelemetry();
builder.AddPassportWeb();

var app = builder.Build();
app.UseServiceDefaults();
app.MapHealthChecks("/health/live").AllowAnonymous();
app.MapHealthChecks("/health/ready").AllowAnonymous();
app.MapPassportWeb();
app.Run();
