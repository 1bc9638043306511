using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Passport.Verifier.Trust;

namespace Passport.Verifier.Decisions;

/// <summary>
/// Posts decisions to the webhook a verifier named on its request, in the background so a wallet's answer never waits for
/// it. Bounded: a queue of limited length, one timeout per post, no redirects, public addresses only (the trust rules).
/// Best effort: a failure is logged and the decision stays readable by request id.
/// </summary>
internal sealed partial class DecisionWebhook(IHttpClientFactory clients, ILogger<DecisionWebhook> log) : BackgroundService
{
    public const string ClientName = "Passport.Verifier.Webhooks";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Channel<(Uri Url, DecisionResponse Decision)> _queue =
        Channel.CreateBounded<(Uri, DecisionResponse)>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(Uri url, DecisionResponse decision)
    {
        if (!_queue.Writer.TryWrite((url, decision)))
            LogDropped(log, decision.Id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (url, decision) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(Timeout);
            try
            {
                using var response = await clients.CreateClient(ClientName).PostAsJsonAsync(url, decision, DecisionJson.Options, timeout.Token);
                if (!response.IsSuccessStatusCode)
                    LogRefused(log, decision.Id, url.GetLeftPart(UriPartial.Path), (int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(log, decision.Id, url.GetLeftPart(UriPartial.Path), e.Message);
            }
        }
    }

    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(ClientName, client => client.Timeout = Timeout)
            .ConfigurePrimaryHttpMessageHandler(sp => TrustFetcher.CreateHandler(sp.GetRequiredService<IOptions<TrustOptions>>().Value));
        services.AddSingleton<DecisionWebhook>();
        services.AddHostedService(sp => sp.GetRequiredService<DecisionWebhook>());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {DecisionId} was not sent to its webhook: the queue is full")]
    private static partial void LogDropped(ILogger logger, Guid decisionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The webhook {Url} refused decision {DecisionId} with status {Status}")]
    private static partial void LogRefused(ILogger logger, Guid decisionId, string url, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decision {DecisionId} could not be sent to the webhook {Url}: {Reason}")]
    private static partial void LogFailed(ILogger logger, Guid decisionId, string url, string reason);
}
