using System.Text.Json;
using System.Threading.Channels;
using Gateway.Ingest.Configuration;
using Gateway.Ingest.Store;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;
using Microsoft.Extensions.Logging;
using Gateway.Core.Counters;

namespace Gateway.Ingest.Alerts;

/// <summary>
/// Delivers raises and clears: the <c>alert</c> measurement in the store, a JSON message on <c>fleet/alerts</c>
/// (QoS 1), and optionally a webhook POST. A bounded queue decouples delivery from evaluation; a slow webhook never
/// delays an alert on the dashboard. Store and MQTT deliveries are retried a few times; the webhook is best effort
/// with a timeout (a receiver that needs every alert reads <c>fleet/alerts</c> or the store).
/// </summary>
public sealed partial class AlertDelivery : IAsyncDisposable
{
    private const int Capacity = 10_000;
    private const int Attempts = 5;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<AlertChange> _queue = Channel.CreateBounded<AlertChange>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly AlertsConfig _config;
    private readonly StoreWriter? _store;
    private readonly MqttClient? _mqtt;
    private readonly HttpClient? _webhook;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly AtomicCounter _delivered = new();
    private readonly AtomicCounter _failed = new();

    public AlertDelivery(AlertsConfig config, StoreWriter? store, MqttClient? mqtt, TimeProvider time, ILogger logger)
    {
        _config = config;
        _store = store;
        _mqtt = mqtt;
        _time = time;
        _logger = logger;
        if (config.Webhook is { } w) _webhook = new HttpClient { Timeout = w.Timeout };
        _loop = Task.Run(RunAsync);
    }

    public long Delivered => _delivered.Value;
    public long Failed => _failed.Value;

    /// <summary>Queues a raise or clear (acknowledgements are not delivered: they are the dashboard's business).</summary>
    public void Enqueue(AlertChange change)
    {
        if (change.Transition != AlertTransition.None) _queue.Writer.TryWrite(change);
    }

    /// <summary>The alert as one line of the <c>alert</c> measurement (tags: rule, gateway, tag, sensor).</summary>
    public static byte[] ToLine(AlertChange change)
    {
        var a = change.Alert;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        var w = new LineProtocolWriter(buffer);
        w.WriteMeasurement("alert");
        if (a.Gateway is not null) w.WriteTag("gateway", a.Gateway);
        w.WriteTag("rule", a.Rule);
        if (a.Sensor is not null) w.WriteTag("sensor", a.Sensor);
        if (a.Tag is not null) w.WriteTag("tag", a.Tag);
        w.WriteStringField("state", change.Transition == AlertTransition.Raised ? "raised" : "cleared");
        w.WriteField("active", a.Active);
        w.WriteStringField("severity", a.Severity);
        w.WriteStringField("message", a.Message.Replace('\n', ' '));
        w.WriteStringField("id", a.Id);
        w.EndLine(change.At.ToUnixTimeMilliseconds());
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ToJson(AlertChange change) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        state = change.Transition == AlertTransition.Raised ? "raised" : "cleared",
        at = change.At,
        alert = change.Alert,
    }, Json);

    private async Task RunAsync()
    {
        await foreach (var change in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            var ok = await Try("store", () => StoreAsync(change)).ConfigureAwait(false)
                & await Try("mqtt", () => PublishAsync(change)).ConfigureAwait(false);
            if (_webhook is not null) ok &= await TryOnce("webhook", () => WebhookAsync(change)).ConfigureAwait(false);
            (ok ? _delivered : _failed).Increment();
        }
    }

    private async Task StoreAsync(AlertChange change)
    {
        if (_store is null) return;
        var result = await _store.WriteAsync(ToLine(change), CancellationToken.None).ConfigureAwait(false);
        if (result.Outcome != StoreWriteOutcome.Written) throw new IOException(result.Message ?? result.Outcome.ToString());
    }

    private async Task PublishAsync(AlertChange change)
    {
        if (_mqtt is null) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _mqtt.PublishAsync(_config.Topic, ToJson(change), MqttQos.AtLeastOnce, retain: false, timeout.Token).ConfigureAwait(false);
    }

    private async Task WebhookAsync(AlertChange change)
    {
        using var content = new ByteArrayContent(ToJson(change));
        content.Headers.ContentType = new("application/json");
        using var response = await _webhook!.PostAsync(_config.Webhook!.Url, content).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"the webhook answered {(int)response.StatusCode}");
    }

    private async Task<bool> Try(string target, Func<Task> deliver)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await deliver().ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or MqttException or OperationCanceledException or ObjectDisposedException)
            {
                if (attempt >= Attempts)
                {
                    LogDeliveryFailed(_logger, target, attempt, ex.Message);
                    return false;
                }
                await Task.Delay(TimeSpan.FromSeconds(attempt), _time).ConfigureAwait(false);
            }
        }
    }

    private async Task<bool> TryOnce(string target, Func<Task> deliver)
    {
        try
        {
            await deliver().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            LogDeliveryFailed(_logger, target, 1, ex.Message);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        _webhook?.Dispose();
    }

    [LoggerMessage(EventId = 550, Level = LogLevel.Warning, Message = "Could not deliver an alert to the {Target} after {Attempts} attempts: {Reason}")]
    private static partial void LogDeliveryFailed(ILogger logger, string target, int attempts, string reason);
}
