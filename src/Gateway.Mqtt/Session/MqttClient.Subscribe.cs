using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    // Subscriptions the broker granted, re-sent after a reconnect without a stored session (guarded by _gate).
    private readonly Dictionary<string, MqttQos> _subscriptions = new(StringComparer.Ordinal);

    /// <summary>
    /// Subscribes and returns the QoS the broker granted. Waits for a connection when offline, and retries on the next
    /// connection if this one drops before SUBACK. Remembered, and re-subscribed after a reconnect whose CONNACK has
    /// no session present. A SUBACK failure (0x80) throws <see cref="MqttException"/>.
    /// </summary>
    public async ValueTask<MqttQos> SubscribeAsync(string topicFilter, MqttQos qos, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MqttTopic.ValidateTopicFilter(topicFilter, nameof(topicFilter));
        if (qos == MqttQos.ExactlyOnce) throw new NotSupportedException("QoS 2 is not implemented in this version; subscribe with AtLeastOnce.");
        if (qos > MqttQos.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2.");
        var reply = await RequestAsync(id => new SubscribePacket(id, [new MqttSubscription(topicFilter, qos)]), ct).ConfigureAwait(false);
        // [MQTT-3.9.3-1]: one return code per topic filter, in order.
        if (reply is not SubAckPacket { ReturnCodes.Count: 1 } subAck)
            throw new MqttProtocolException($"The broker answered SUBSCRIBE with {reply.Type} instead of a SUBACK with one return code.");
        var code = subAck.ReturnCodes[0];
        if (code == SubAckPacket.Failure)
            throw new MqttException($"The broker refused the subscription to '{topicFilter}' (SUBACK 0x80). Check the broker's ACL for this client and the filter.");
        lock (_gate) _subscriptions[topicFilter] = qos;
        return (MqttQos)code;
    }

    /// <summary>Unsubscribes (waiting for UNSUBACK) and forgets the subscription.</summary>
    public async ValueTask UnsubscribeAsync(string topicFilter, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MqttTopic.ValidateTopicFilter(topicFilter, nameof(topicFilter));
        lock (_gate) _subscriptions.Remove(topicFilter);
        var reply = await RequestAsync(id => new UnsubscribePacket(id, [topicFilter]), ct).ConfigureAwait(false);
        if (reply.Type != MqttPacketType.UnsubAck)
            throw new MqttProtocolException($"The broker answered UNSUBSCRIBE with {reply.Type} instead of UNSUBACK.");
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

    /// <summary>Without a stored session the broker forgot our subscriptions ([MQTT-3.2.2-1]); send them again.</summary>
    private async Task ResubscribeAsync(ClientConnection connection)
    {
        MqttSubscription[] subscriptions;
        lock (_gate) subscriptions = [.. _subscriptions.Select(s => new MqttSubscription(s.Key, s.Value))];
        if (subscriptions.Length == 0 || !_packetIds.TryAllocate(out var id)) return;
        var reply = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Requests[id] = reply;
        try
        {
            await connection.SendAsync(new SubscribePacket(id, subscriptions), _options.MaxPacketSize, connection.Token).ConfigureAwait(false);
            var ack = await reply.Task.WaitAsync(connection.Token).ConfigureAwait(false) as SubAckPacket;
            for (var i = 0; i < subscriptions.Length; i++)
            {
                if (ack is null || i >= ack.ReturnCodes.Count || ack.ReturnCodes[i] == SubAckPacket.Failure)
                    MqttClientLog.ResubscribeFailed(_logger, null, subscriptions[i].TopicFilter);
            }
        }
        catch (Exception ex) when (ex is MqttException or OperationCanceledException)
        {
            // A dropped connection retries on the next one, which re-subscribes again.
            if (!connection.IsClosed) MqttClientLog.ResubscribeFailed(_logger, ex, subscriptions[0].TopicFilter);
        }
        finally
        {
            connection.Requests.TryRemove(id, out _);
            _packetIds.Release(id);
        }
    }
}
