using System.Buffers;
using System.Threading.Channels;
using Gateway.Mqtt;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Events;

/// <summary>
/// Publishes <see cref="AgentEvent"/>s as line protocol on <c>fleet/{gateway}/events</c> with QoS 1, one message per
/// event, in order. Events wait in a bounded queue (while the broker is away the MQTT client also holds them); when it
/// is full the oldest is dropped and counted. This buffer is in memory, like the telemetry buffer of this build.
/// </summary>
public sealed partial class EventPublisher : IEventSink
{
    /// <summary>Events are rare (a door, a new tag); a thousand covers a long outage at a busy site.</summary>
    public const int Capacity = 1000;

    private readonly MqttClient _client;
    private readonly string _gatewayId;
    private readonly string _topic;
    private readonly ClockDiscipline _clock;
    private readonly ILogger _logger;
    private readonly Channel<AgentEvent> _queue;
    private long _dropped;
    private long _published;

    public EventPublisher(MqttClient client, string gatewayId, ClockDiscipline clock, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        _client = client;
        _gatewayId = gatewayId;
        _topic = $"fleet/{gatewayId}/events";
        _clock = clock;
        _logger = logger;
        _queue = Channel.CreateBounded<AgentEvent>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Published => Interlocked.Read(ref _published);

    public bool TryPublish(AgentEvent agentEvent)
    {
        ArgumentNullException.ThrowIfNull(agentEvent);
        LogEvent(_logger, agentEvent.Kind, agentEvent.Message);
        return _queue.Writer.TryWrite(agentEvent);
    }

    /// <summary>No more events: <see cref="RunAsync"/> publishes what is queued and returns.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>
    /// Publishes until <see cref="Complete"/> and drained, or until cancelled; what is still queued then is lost with
    /// this in-memory buffer (logged).
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            await foreach (var e in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                buffer.ResetWrittenCount();
                Encode(e, buffer);
                try
                {
                    await _client.PublishAsync(_topic, buffer.WrittenMemory, MqttQos.AtLeastOnce, retain: false, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _published);
                }
                catch (MqttException ex)
                {
                    LogRefused(_logger, e.Kind, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (_queue.Reader.Count > 0) LogUnsent(_logger, _queue.Reader.Count);
        }
    }

    /// <summary><c>event,gateway=G,kind=K,sensor=S[,tag=T] message="...",field=value... ms</c>, tags in key order.</summary>
    public void Encode(AgentEvent e, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(e);
        var writer = new LineProtocolWriter(output);
        writer.WriteMeasurement("event");
        writer.WriteTag("gateway", _gatewayId);
        writer.WriteTag("kind", e.Kind);
        writer.WriteTag("sensor", e.Sensor);
        if (e.Tag is { } tag) writer.WriteTag("tag", tag);
        writer.WriteStringField("message", e.Message);
        foreach (var (key, value) in e.Fields)
        {
            switch (value)
            {
                case bool b: writer.WriteField(key, b); break;
                case long l: writer.WriteField(key, l); break;
                case int i: writer.WriteField(key, (long)i); break;
                case double d when double.IsFinite(d): writer.WriteField(key, d); break;
            }
        }
        writer.EndLine(_clock.ToUnixMilliseconds(e.Timestamp));
    }

    [LoggerMessage(EventId = 6050, Level = LogLevel.Information, Message = "Event {Kind}: {Message}")]
    private static partial void LogEvent(ILogger logger, string kind, string message);

    [LoggerMessage(EventId = 6051, Level = LogLevel.Error, Message = "The broker refused a {Kind} event: {Reason}")]
    private static partial void LogRefused(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 6052, Level = LogLevel.Warning, Message = "Stopping with {Count} events not yet published; they are lost because this build buffers in memory")]
    private static partial void LogUnsent(ILogger logger, int count);
}
