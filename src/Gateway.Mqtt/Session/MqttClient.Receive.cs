using System.Buffers;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// ManualAck mode: acknowledges a QoS 1 message (PUBACK) or accepts a QoS 2 message (PUBREC). They go out in the
    /// order the messages were received ([MQTT-4.6.0-2], [MQTT-4.6.0-3]); an ack given out of order is held until every
    /// earlier message is acknowledged. A message from an earlier connection is not acknowledged (the broker
    /// re-delivers it). A no-op for QoS 0 and in auto mode.
    /// </summary>
    public ValueTask AcknowledgeAsync(MqttMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return AcknowledgeAsync([message], ct);
    }

    /// <summary>
    /// <see cref="AcknowledgeAsync(MqttMessage, CancellationToken)"/> for several messages at once, e.g. every message
    /// of a batch that was just written to a store: the acks that become due are written together and sent with one
    /// flush (one system call instead of one per message). Messages may come in any order and from any connection; the
    /// rules of the single-message call apply to each.
    /// </summary>
    public async ValueTask AcknowledgeAsync(IReadOnlyList<MqttMessage> messages, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!_options.ManualAck || Volatile.Read(ref _connection) is not { IsClosed: false } connection) return;
        // The write lock is taken before the ack queue, so that two concurrent acknowledgers cannot reorder PUBACKs.
        await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var any = false;
            lock (connection.AckGate)
            {
                foreach (var message in messages)
                {
                    if (message.Qos == MqttQos.AtMostOnce || message.ConnectionId != connection.Id || message.Acknowledged) continue;
                    message.Acknowledged = true;
                    connection.Inbound?.Release(message.Payload.Length);
                }
                while (connection.PendingAcks.TryPeek(out var head) && head.Acknowledged)
                {
                    connection.PendingAcks.Dequeue();
                    if (head.Qos == MqttQos.ExactlyOnce) lock (_gate) _inboundQos2.Add(head.PacketId);
                    Codec.MqttPacketWriter.WritePacketIdOnly(connection.Transport.Output,
                        head.Qos == MqttQos.ExactlyOnce ? MqttPacketType.PubRec : MqttPacketType.PubAck, head.PacketId);
                    any = true;
                }
            }
            if (any) await connection.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            connection.WriteLock.Release();
        }
    }

    /// <summary>Reads packets until the connection fails; the only reader of the socket.</summary>
    private async Task ReceiveLoopAsync(ClientConnection connection)
    {
        var ct = connection.Token;
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await connection.Transport.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            connection.Window.BeginDeferWake();
            try
            {
                while (true)
                {
                    // Taken even when no packet is complete: skipping an oversized PUBLISH consumes bytes.
                    var decoded = TryDecode(buffer.Slice(consumed), out var packet, out var next);
                    consumed = next;
                    if (!decoded) break;
                    var handled = HandleAsync(connection, packet, ct);
                    if (handled.IsCompletedSuccessfully) continue;
                    // About to wait (inbound queue full, a write): let the send loop use the slots freed so far.
                    connection.Window.EndDeferWake();
                    await handled.ConfigureAwait(false);
                    connection.Window.BeginDeferWake();
                }
            }
            finally
            {
                connection.Window.EndDeferWake();
                input.AdvanceTo(consumed, buffer.End);
            }
            if (result.IsCompleted) throw new MqttConnectionException($"The MQTT broker at {_endpoint} closed the connection.");
        }
    }

    private bool TryDecode(ReadOnlySequence<byte> buffer, out MqttPacket packet, out SequencePosition next)
    {
        var reader = new SequenceReader<byte>(buffer);
        var ok = _packetReader.TryRead(ref reader, out var decoded);
        packet = decoded!;
        next = reader.Position;
        return ok;
    }

    private ValueTask HandleAsync(ClientConnection connection, MqttPacket packet, CancellationToken ct)
    {
        switch (packet)
        {
            case PublishPacket publish:
                return OnPublishAsync(connection, publish, ct);
            case OversizedPublishPacket oversized:
                MqttClientLog.OversizedPublish(_logger, _endpoint, oversized.Topic, oversized.Size, _options.MaxPacketSize);
                return OnPublishAsync(connection, new PublishPacket(oversized.Topic, ReadOnlyMemory<byte>.Empty, oversized.Qos, oversized.Retain, oversized.Duplicate, oversized.PacketId), ct, oversized.Size);
            case PacketIdOnlyPacket { Kind: MqttPacketType.PubAck } ack:
                OnFinalAck(connection, ack, MqttQos.AtLeastOnce);
                return default;
            case PacketIdOnlyPacket { Kind: MqttPacketType.PubRec } rec:
                return OnPubRecAsync(connection, rec, ct);
            case PacketIdOnlyPacket { Kind: MqttPacketType.PubComp } comp:
                OnFinalAck(connection, comp, MqttQos.ExactlyOnce);
                return default;
            case PacketIdOnlyPacket { Kind: MqttPacketType.PubRel } rel:
                return OnPubRelAsync(connection, rel.PacketId, ct);
            case SubAckPacket { PacketId: var id }:
                CompleteRequest(connection, id, packet);
                return default;
            case PacketIdOnlyPacket { Kind: MqttPacketType.UnsubAck, PacketId: var id }:
                CompleteRequest(connection, id, packet);
                return default;
            case EmptyPacket { Type: MqttPacketType.PingResp }:
                connection.PingOutstanding = false;
                return default;
            case DisconnectPacket disconnect:
                // 5.0 section 3.14: the broker closes the connection and says why; the supervisor reconnects.
                MqttClientLog.ServerDisconnect(_logger, _endpoint, disconnect.ReasonCode.Describe(), disconnect.Properties?.ReasonString);
                throw new MqttConnectionException(
                    $"The MQTT broker at {_endpoint} closed the connection: {disconnect.ReasonCode.Describe()}" +
                    (disconnect.Properties?.ReasonString is { } why ? $" \"{why}\"" : "") +
                    (disconnect.Properties?.ServerReference is { } other ? $"; it refers us to {other}" : "") + ".",
                    disconnect.ReasonCode);
            default:
                // Section 4.8: a packet a client never receives (CONNECT, SUBSCRIBE, a second CONNACK, AUTH without
                // enhanced authentication) is a protocol violation; the connection is closed.
                throw new MqttProtocolException($"The broker sent an unexpected {packet.Type} packet.");
        }
    }

    private async ValueTask OnPublishAsync(ClientConnection connection, PublishPacket publish, CancellationToken ct, long oversizedBytes = 0)
    {
        // [MQTT-3.3.2-9] (5.0): we announce no Topic Alias Maximum, so the broker must not use aliases towards us.
        if (publish.Properties?.TopicAlias is not null)
            throw new MqttProtocolException($"The broker sent a Topic Alias on '{publish.Topic}' although this client allows none [MQTT-3.3.2-9].");
        Statistics.OnReceived();
        if (publish.Qos == MqttQos.ExactlyOnce)
        {
            bool seen;
            lock (_gate) seen = _inboundQos2.Contains(publish.PacketId);
            // Section 4.3.3 (method B): a PUBLISH whose PUBREC we sent is a re-send; PUBREC again, do not deliver twice.
            if (seen)
            {
                await connection.SendSmallAsync(MqttPacketType.PubRec, publish.PacketId, ct).ConfigureAwait(false);
                return;
            }
        }
        var message = new MqttMessage(publish.Topic, publish.Payload, publish.Qos, publish.Retain, publish.Duplicate, publish.PacketId, connection.Id, publish.Properties)
        {
            OversizedBytes = oversizedBytes,
        };
        var manual = _options.ManualAck && publish.Qos != MqttQos.AtMostOnce;
        if (manual && connection.Inbound is { } budget)
        {
            connection.ReceiveBlocked = true;
            try
            {
                await budget.TakeAsync(message.Payload.Length, ct).ConfigureAwait(false);
            }
            finally
            {
                connection.ReceiveBlocked = false;
            }
        }
        if (manual)
        {
            lock (connection.AckGate) connection.PendingAcks.Enqueue(message);
        }
        if (!_messages.Writer.TryWrite(message))
        {
            connection.ReceiveBlocked = true;
            try
            {
                await _messages.Writer.WriteAsync(message, ct).ConfigureAwait(false);
            }
            finally
            {
                connection.ReceiveBlocked = false;
            }
        }
        if (manual || publish.Qos == MqttQos.AtMostOnce) return;
        // Auto mode: PUBACK/PUBREC once the message is safely queued for the application ([MQTT-4.3.2-2],
        // [MQTT-4.3.3-2]). Handled in packet order, so acknowledgements follow receipt order ([MQTT-4.6.0-2]).
        if (publish.Qos == MqttQos.ExactlyOnce)
        {
            lock (_gate) _inboundQos2.Add(publish.PacketId);
            await connection.SendSmallAsync(MqttPacketType.PubRec, publish.PacketId, ct).ConfigureAwait(false);
        }
        else
        {
            await connection.SendSmallAsync(MqttPacketType.PubAck, publish.PacketId, ct).ConfigureAwait(false);
        }
    }

    /// <summary>PUBREL: the QoS 2 message is released; forget its id and answer PUBCOMP (section 4.3.3, method B).</summary>
    private ValueTask OnPubRelAsync(ClientConnection connection, ushort packetId, CancellationToken ct)
    {
        bool known;
        lock (_gate) known = _inboundQos2.Remove(packetId);
        return connection.SendSmallAsync(MqttPacketType.PubComp, packetId, ct,
            known ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound);
    }

    private static void CompleteRequest(ClientConnection connection, ushort packetId, MqttPacket packet)
    {
        if (connection.Requests.TryRemove(packetId, out var request)) request.TrySetResult(packet);
    }
}
