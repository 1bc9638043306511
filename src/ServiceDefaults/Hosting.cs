using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace Passport.ServiceDefaults;

public static class Hosting
{
    public const string ReadyTag = "ready";

    /// <summary>What every Passport service has: problem details, bounded request bodies, a clock, OpenAPI, health checks.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = RequestValidation.Customise);
        // Minimal APIs answer a bad body or parameter with a bare 400 unless told to throw; the handler turns it into a problem.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // StrictJsonBodies refuses these first; the binder refuses them too, should a body ever reach it another way.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.AllowDuplicateProperties = false);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.TryAddTimeProvider();
        builder.Services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        builder.Services.AddPassportOpenApi();
        builder.Services.AddHealthChecks();
        builder.AddPassportRateLimits();
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        // Routing after the handler, so that its failures (two endpoints matching one request) are problems too: left to the
        // implicit routing at the head of the pipeline they would reach the developer exception page in Development.
        app.UseRouting();
        app.UseRateLimiter();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<StrictJsonBodies>();
        return app;
    }

    /// <summary>Health (live: the process answers; ready: its database and bus answer), OpenAPI and the reference page.</summary>
    public static IEndpointRouteBuilder MapServiceDefaults(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = Telemetry.WriteHealthJsonAsync }).AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        // The bearer scheme first, so the page offers a box for the access token and sends it with each try.
        app.MapScalarApiReference("/reference", o => o.AddPreferredSecuritySchemes(ApiReference.BearerScheme)).AllowAnonymous();
        return app;
    }
}
