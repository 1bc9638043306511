using System.ComponentModel.DataAnnotations;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Passport.ServiceDefaults;

public enum BusTransport
{
    InMemory,
    RabbitMq,
}

public sealed class BusOptions
{
    public const string Section = "Bus";

    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>amqp://user:password@host:port/vhost</summary>
    public Uri? RabbitMq { get; set; }

    public bool QuorumQueues { get; set; }

    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;
}

public static class Bus
{
    /// <summary>
    /// MassTransit on RabbitMQ (durable, publisher confirms, optional quorum queues) or, for the embedded default only,
    /// in memory. Retries are in-process with back-off (the broker has no delayed-message plugin); then the error queue.
    /// </summary>
    public static IHostApplicationBuilder AddPassportBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> consumers)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Transport != BusTransport.RabbitMq || o.RabbitMq is { Scheme: "amqp" or "amqps" },
                "Bus: with Transport=RabbitMq, set Bus:RabbitMq to an amqp:// or amqps:// URI.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            consumers(x);
            if (options.Transport == BusTransport.RabbitMq && options.RabbitMq is not null)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    var o = context.GetRequiredService<IOptions<BusOptions>>().Value;
                    cfg.Host(o.RabbitMq!, h =>
                    {
                        var user = o.RabbitMq!.UserInfo.Split(':', 2);
                        if (user.Length == 2)
                        {
                            h.Username(Uri.UnescapeDataString(user[0]));
                            h.Password(Uri.UnescapeDataString(user[1]));
                        }
                        h.PublisherConfirmation = true;
                    });
                    if (o.QuorumQueues)
                        cfg.SetQuorumQueue();
                    cfg.UseMessageRetry(r => r.Exponential(o.RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    cfg.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100)));
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        return builder;
    }
}
