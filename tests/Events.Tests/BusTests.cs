using System.Net.Http.Json;
using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Passport.ServiceDefaults;
using Passport.Testing;

namespace Passport.Events.Tests;

public sealed class BusTests
{
    private static IHost Build(string environment, IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddPassportBus(_ => { });
        return builder.Build();
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task The_in_memory_transport_is_refused_outside_development_with_a_sentence_saying_what_to_set(string environment)
    {
        using var host = Build(environment, new Dictionary<string, string?> { ["Bus:Transport"] = "InMemory" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("in-memory transport", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bus:Transport=RabbitMq", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RabbitMq_without_an_amqp_address_is_refused_at_start_up()
    {
        using var host = Build("Production", new Dictionary<string, string?> { ["Bus:Transport"] = "RabbitMq", ["Bus:RabbitMq"] = "http://broker/" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("amqp://", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_in_memory_transport_runs_in_development()
    {
        using var host = Build("Development", new Dictionary<string, string?> { ["Bus:Transport"] = "InMemory" });

        await host.StartAsync();
        await host.StopAsync();
    }
}

public sealed class CollectingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, eventId, formatter(state, exception), exception));
    }
}
