using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Passport.ServiceDefaults;

/// <summary>Limits on what callers who do not sign in (wallets, verifiers fetching keys and status lists) may ask, per client address.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests per client address per <see cref="Window"/> to any anonymous route.</summary>
    [Range(1, int.MaxValue)]
    public int AnonymousRequests { get; set; } = 600;

    /// <summary>Of those, POSTs (they write rows, check signatures or fetch from other sites).</summary>
    [Range(1, int.MaxValue)]
    public int AnonymousWrites { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Addresses of reverse proxies and load balancers whose <c>X-Forwarded-For</c> is believed, so that the client's own address
    /// is the partition. Requests from anywhere else are partitioned by their own address, whatever they claim.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The same, as networks in CIDR notation (<c>10.0.0.0/8</c>): an ingress whose address changes.</summary>
    public List<string> TrustedNetworks { get; set; } = [];
}

public static class RateLimits
{
    internal static void AddPassportRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Window > TimeSpan.Zero && o.Window <= TimeSpan.FromHours(1), "RateLimits:Window is between 00:00:01 and 01:00:00.")
            .Validate(o => o.TrustedProxies.All(p => IPAddress.TryParse(p, out _)), "RateLimits:TrustedProxies are IP addresses.")
            .Validate(o => o.TrustedNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "RateLimits:TrustedNetworks are networks in CIDR notation, such as 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<RateLimitOptions>>((forwarded, limits) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in limits.Value.TrustedProxies)
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in limits.Value.TrustedNetworks)
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            forwarded.ForwardLimit = Math.Max(1, limits.Value.TrustedProxies.Count + limits.Value.TrustedNetworks.Count);
        });
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((o, limits) =>
        {
            var l = limits.Value;
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(c => IsAnonymous(c)
                    ? Window("any:" + ClientOf(c), l.AnonymousRequests, l.Window)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(c => IsAnonymous(c) && HttpMethods.IsPost(c.Request.Method)
                    ? Window("write:" + ClientOf(c), l.AnonymousWrites, l.Window)
                    : RateLimitPartition.GetNoLimiter("")));
            o.OnRejected = OnRejectedAsync;
        });
    }

    private static RateLimitPartition<string> Window(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true,
        });

    // An endpoint is anonymous unless it asks for authorization; a request that matches none (a probe for paths) is anonymous too.
    private static bool IsAnonymous(HttpContext context) =>
        context.GetEndpoint() is not { } endpoint
        || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || endpoint.Metadata.GetMetadata<IAuthorizeData>() is null;

    private static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited",
            $"Too many requests from your address; try again in {seconds} s.").ExecuteAsync(http);
    }
}
