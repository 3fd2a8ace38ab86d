using System.Threading.Channels;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    private readonly Channel<PublishRecord> _outbox;

    // QoS 1/2 publishes written at least once and not yet completed, in send order (guarded by _gate). They keep
    // their packet identifiers across reconnects and are re-sent first ([MQTT-4.4.0-1]).
    private readonly LinkedList<PublishRecord> _unacked = new();
    private readonly Dictionary<ushort, PublishRecord> _unackedById = [];

    // QoS 0 publishes taken from the outbox whose write failed with the connection; sent first on the next one.
    private readonly List<PublishRecord> _carried = [];

    /// <summary>
    /// Publishes a message. QoS 0 completes when written to the socket (waiting for a connection when offline); QoS 1
    /// completes at the broker's PUBACK, QoS 2 at its PUBCOMP, across reconnects. Publishers wait asynchronously while
    /// MaxPendingPublishes messages are queued. The payload is copied before this method returns.
    /// Cancelling <paramref name="ct"/> abandons the wait; a message already written stays in flight until acknowledged.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name, or the packet would exceed MaxPacketSize.</exception>
    /// <exception cref="MqttPublishException">(from the task) The broker refused the message (5.0 reason code 0x80 or above), or it exceeds the broker's limits.</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false, CancellationToken ct = default)
    {
        var record = CreateRecord(topic, payload.Span, qos, retain, null, ct);
        if (record is null) return ValueTask.FromCanceled(ct);
        if (!_outbox.Writer.TryWrite(record)) return EnqueueSlowAsync(record, ct);
        record.RegisterCancellation(ct);
        return new ValueTask(record, record.Version);
    }

    /// <summary>
    /// Publishes a message with MQTT 5.0 properties (content type, expiry, response topic, correlation data, user
    /// properties) and returns how the broker acknowledged it. Same guarantees as <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQos, bool, CancellationToken)"/>.
    /// </summary>
    public async ValueTask<MqttPublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.HasV5Properties && _options.ProtocolVersion != MqttProtocolVersion.V500)
            throw new ArgumentException("The message sets MQTT 5.0 properties but the client speaks 3.1.1; set ProtocolVersion = V500.", nameof(message));
        var properties = message.HasV5Properties ? new MqttProperties
        {
            ContentType = message.ContentType,
            PayloadFormatIndicator = (byte?)message.PayloadFormat,
            MessageExpiryInterval = message.MessageExpiryInterval is { } e ? (uint)Math.Ceiling(e.TotalSeconds) : null,
            ResponseTopic = message.ResponseTopic,
            CorrelationData = message.CorrelationData,
            UserProperties = message.UserProperties is { Count: > 0 } u ? [.. u] : null,
        } : null;
        try
        {
            MqttPropertyCodec.Validate(properties);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Message on '{message.Topic}': {ex.Message}", nameof(message), ex);
        }
        var record = CreateRecord(message.Topic, message.Payload.Span, message.Qos, message.Retain, properties, ct);
        ct.ThrowIfCancellationRequested();
        try
        {
            await _outbox.Writer.WriteAsync(record!, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            record!.Abandon();
            if (ex is ChannelClosedException) throw new ObjectDisposedException(nameof(MqttClient), "The MQTT client was disposed.");
            throw;
        }
        record!.RegisterCancellation(ct);
        return await new ValueTask<MqttPublishResult>(record, record.Version).ConfigureAwait(false);
    }

    /// <summary>Validates and copies; null when <paramref name="ct"/> is already cancelled.</summary>
    private PublishRecord? CreateRecord(string topic, ReadOnlySpan<byte> payload, MqttQos qos, bool retain, MqttProperties? properties, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MqttTopic.ValidateTopicName(topic, nameof(topic));
        if (qos > MqttQos.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2.");
        var size = MqttPacketWriter.PublishSize(topic, payload.Length, qos, _options.ProtocolVersion, properties, 0, omitTopic: false);
        if (size > _options.MaxPacketSize)
            throw new ArgumentException($"The PUBLISH on '{topic}' would be {size} bytes, above MaxPacketSize {_options.MaxPacketSize}; send a smaller payload or raise MaxPacketSize.", nameof(payload));
        if (ct.IsCancellationRequested) return null;
        return PublishRecord.Rent(topic, payload, qos, retain, properties);
    }

    private async ValueTask EnqueueSlowAsync(PublishRecord record, CancellationToken ct)
    {
        try
        {
            await _outbox.Writer.WriteAsync(record, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            record.Abandon();
            if (ex is ChannelClosedException) throw new ObjectDisposedException(nameof(MqttClient), "The MQTT client was disposed.");
            throw;
        }
        record.RegisterCancellation(ct);
        await new ValueTask(record, record.Version).ConfigureAwait(false);
    }

    private void FailAllPublishes(Exception error)
    {
        _outbox.Writer.TryComplete();
        List<PublishRecord> records;
        lock (_gate)
        {
            records = [.. _unacked, .. _carried];
            _unacked.Clear();
            _unackedById.Clear();
            _carried.Clear();
        }
        while (_outbox.Reader.TryRead(out var queued)) records.Add(queued);
        foreach (var record in records)
        {
            record.TryFail(error);
            record.Release();
        }
    }
}
