using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    // Subscriptions the broker granted, re-sent after a reconnect without a stored session (guarded by _gate).
    private readonly Dictionary<string, MqttSubscriptionOptions> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>
    /// Subscribes and returns the QoS the broker granted. Waits for a connection when offline, and retries on the next
    /// connection if this one drops before SUBACK. Remembered, and re-subscribed after a reconnect whose CONNACK has
    /// no session present. A refusal (SUBACK 0x80, or a 5.0 reason code) throws <see cref="MqttSubscribeException"/>.
    /// </summary>
    public ValueTask<MqttQos> SubscribeAsync(string topicFilter, MqttQos qos, CancellationToken ct = default) =>
        SubscribeAsync(topicFilter, new MqttSubscriptionOptions(qos), ct);

    /// <summary>
    /// Subscribes with MQTT 5.0 subscription options (no local, retain as published, retain handling, subscription
    /// identifier, user properties). Shared subscriptions use the filter <c>$share/{group}/{filter}</c> (section 4.8.2).
    /// </summary>
    public async ValueTask<MqttQos> SubscribeAsync(string topicFilter, MqttSubscriptionOptions options, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(options);
        MqttTopic.ValidateTopicFilter(topicFilter, nameof(topicFilter));
        if (options.Qos > MqttQos.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(options), options.Qos, "QoS must be 0, 1 or 2.");
        var v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
        if (!v5 && (options.NoLocal || options.RetainAsPublished || options.RetainHandling != 0 || options.SubscriptionIdentifier is not null || options.UserProperties is { Count: > 0 }))
            throw new NotSupportedException("Subscription options other than QoS need MQTT 5.0; set ProtocolVersion = V500.");
        // [MQTT-3.8.3-4]: No Local on a shared subscription is a protocol error.
        if (options.NoLocal && topicFilter.StartsWith("$share/", StringComparison.Ordinal))
            throw new ArgumentException("No Local cannot be set on a shared subscription [MQTT-3.8.3-4].", nameof(options));
        if (options.SubscriptionIdentifier is < 1 or > Codec.VariableByteInteger.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(options), options.SubscriptionIdentifier, "A subscription identifier must be 1-268435455 [MQTT-3.8.2-1].");
        var reply = await RequestAsync(id => BuildSubscribe(id, [(topicFilter, options)]), ct).ConfigureAwait(false);
        // [MQTT-3.9.3-1]: one return code per topic filter, in order.
        if (reply is not SubAckPacket { ReturnCodes.Count: 1 } subAck)
            throw new MqttProtocolException($"The broker answered SUBSCRIBE with {reply.Type} instead of a SUBACK with one return code.");
        var code = subAck.ReturnCodes[0];
        if (code >= SubAckPacket.Failure)
            throw new MqttSubscribeException(topicFilter, (MqttReasonCode)code, subAck.Properties?.ReasonString);
        lock (_gate) _subscriptions[topicFilter] = options;
        return (MqttQos)code;
    }

    private static SubscribePacket BuildSubscribe(ushort id, IEnumerable<(string Filter, MqttSubscriptionOptions Options)> subscriptions)
    {
        var list = new List<MqttSubscription>();
        int? identifier = null;
        List<MqttUserProperty>? users = null;
        foreach (var (filter, o) in subscriptions)
        {
            list.Add(new MqttSubscription(filter, o.Qos) { NoLocal = o.NoLocal, RetainAsPublished = o.RetainAsPublished, RetainHandling = o.RetainHandling });
            identifier ??= o.SubscriptionIdentifier;
            if (o.UserProperties is { Count: > 0 } u) (users ??= []).AddRange(u);
        }
        var properties = identifier is null && users is null ? null
            : new MqttProperties { SubscriptionIdentifiers = identifier is { } i ? [i] : null, UserProperties = users };
        return new SubscribePacket(id, list) { Properties = properties };
    }

    /// <summary>Unsubscribes (waiting for UNSUBACK) and forgets the subscription. A 5.0 failure reason throws <see cref="MqttSubscribeException"/>.</summary>
    public async ValueTask UnsubscribeAsync(string topicFilter, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MqttTopic.ValidateTopicFilter(topicFilter, nameof(topicFilter));
        lock (_gate) _subscriptions.Remove(topicFilter);
        var reply = await RequestAsync(id => new UnsubscribePacket(id, [topicFilter]), ct).ConfigureAwait(false);
        if (reply is not PacketIdOnlyPacket { Kind: MqttPacketType.UnsubAck } unsubAck)
            throw new MqttProtocolException($"The broker answered UNSUBSCRIBE with {reply.Type} instead of UNSUBACK.");
        if (unsubAck.ReasonCodes is [var code, ..] && code.IsFailure())
            throw new MqttSubscribeException(topicFilter, code, unsubAck.Properties?.ReasonString);
    }

    /// <summary>Sends a request packet and waits for its acknowledgement, retrying on the next connection if this one drops.</summary>
    private async Task<MqttPacket> RequestAsync(Func<ushort, MqttPacket> build, CancellationToken ct)
    {
        while (true)
        {
            var connection = await WaitConnectionAsync(ct).ConfigureAwait(false);
            if (!_packetIds.TryAllocate(out var id)) throw new MqttException("All 65535 packet identifiers are in use; lower MaxInflight.");
            var reply = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.Requests[id] = reply;
            try
            {
                // Checked after registering: a close that starts now fails the request, one that happened before is seen here.
                if (connection.IsClosed) continue;
                await connection.SendAsync(build(id), _options.MaxPacketSize, ct).ConfigureAwait(false);
                return await reply.Task.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (MqttConnectionException) when (!ct.IsCancellationRequested)
            {
                // The connection dropped: try again on the next one.
            }
            finally
            {
                connection.Requests.TryRemove(id, out _);
                _packetIds.Release(id);
            }
        }
    }

    /// <summary>
    /// Without a stored session the broker forgot our subscriptions ([MQTT-3.2.2-1]); send them again, one SUBSCRIBE
    /// each (a 5.0 SUBSCRIBE carries one Subscription Identifier for all its filters, section 3.8.2.1.2).
    /// </summary>
    private async Task ResubscribeAsync(ClientConnection connection)
    {
        (string Filter, MqttSubscriptionOptions Options)[] subscriptions;
        lock (_gate) subscriptions = [.. _subscriptions.Select(s => (s.Key, s.Value))];
        foreach (var subscription in subscriptions)
        {
            if (connection.IsClosed || !_packetIds.TryAllocate(out var id)) return;
            var reply = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
            connection.Requests[id] = reply;
            try
            {
                await connection.SendAsync(BuildSubscribe(id, [subscription]), _options.MaxPacketSize, connection.Token).ConfigureAwait(false);
                var ack = await reply.Task.WaitAsync(connection.Token).ConfigureAwait(false) as SubAckPacket;
                if (ack is not { ReturnCodes: [< SubAckPacket.Failure] })
                    MqttClientLog.ResubscribeFailed(_logger, null, subscription.Filter);
            }
            catch (Exception ex) when (ex is MqttException or OperationCanceledException)
            {
                // A dropped connection retries on the next one, which re-subscribes again.
                if (!connection.IsClosed) MqttClientLog.ResubscribeFailed(_logger, ex, subscription.Filter);
                return;
            }
            finally
            {
                connection.Requests.TryRemove(id, out _);
                _packetIds.Release(id);
            }
        }
    }
}
