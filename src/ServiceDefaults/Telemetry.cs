using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Passport.Messaging;

namespace Passport.ServiceDefaults;

public static class Telemetry
{
    /// <summary>MassTransit's own activity source and meter: send, receive and consume spans, joined through message headers.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>
    /// OpenTelemetry traces and metrics: incoming HTTP, outgoing HTTP, the outbox's publishes (each a child of the request
    /// that wrote its row) and MassTransit's send and consume, so one trace runs from a request in one service to the
    /// consumer in another. Exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; log lines carry the
    /// trace and span ids either way.
    /// </summary>
    public static IHostApplicationBuilder AddPassportTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddSource(MassTransitSource, MessagingTelemetry.Name))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(MassTransitSource, MessagingTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// A health report as JSON: the overall status and each check's status, description and data (the outbox check's
    /// pending rows, oldest pending age and inbox count). Use as <c>HealthCheckOptions.ResponseWriter</c>.
    /// </summary>
    public static Task WriteHealthJsonAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data.Count == 0 ? null : e.Value.Data,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson, context.RequestAborted);
    }

    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web);
}
