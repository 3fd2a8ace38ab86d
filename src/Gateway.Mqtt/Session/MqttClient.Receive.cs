using System.Buffers;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// ManualAck mode: acknowledges a QoS 1 message. PUBACKs go out in the order the messages were received
    /// ([MQTT-4.6.0-2]); an ack given out of order is held until every earlier message is acknowledged. A message
    /// from an earlier connection is not acknowledged (the broker re-delivers it). A no-op for QoS 0 and in auto mode.
    /// </summary>
    public async ValueTask AcknowledgeAsync(MqttMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_options.ManualAck || message.Qos == MqttQos.AtMostOnce) return;
        if (Volatile.Read(ref _connection) is not { IsClosed: false } connection || connection.Id != message.ConnectionId)
            return;
        // The write lock is taken before the ack queue, so that two concurrent acknowledgers cannot reorder PUBACKs.
        await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var any = false;
            lock (connection.AckGate)
            {
                message.Acknowledged = true;
                while (connection.PendingAcks.TryPeek(out var head) && head.Acknowledged)
                {
                    connection.PendingAcks.Dequeue();
                    Codec.MqttPacketWriter.WritePacketIdOnly(connection.Transport.Output, MqttPacketType.PubAck, head.PacketId);
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
            try
            {
                while (TryDecode(buffer.Slice(consumed), out var packet, out var next))
                {
                    consumed = next;
                    await HandleAsync(connection, packet, ct).ConfigureAwait(false);
                }
            }
            finally
            {
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
            case PacketIdOnlyPacket { Kind: MqttPacketType.PubAck } ack:
                OnPubAck(ack.PacketId);
                return default;
            case SubAckPacket { PacketId: var id }:
                CompleteRequest(connection, id, packet);
                return default;
            case PacketIdOnlyPacket { Kind: MqttPacketType.UnsubAck, PacketId: var id }:
                CompleteRequest(connection, id, packet);
                return default;
            case EmptyPacket { Type: MqttPacketType.PingResp }:
                connection.PingOutstanding = false;
                return default;
            default:
                // Section 4.8: a packet a client never receives (CONNECT, SUBSCRIBE, a second CONNACK, QoS 2 flow
                // we never started) is a protocol violation; the connection is closed.
                throw new MqttProtocolException($"The broker sent an unexpected {packet.Type} packet.");
        }
    }

    private async ValueTask OnPublishAsync(ClientConnection connection, PublishPacket publish, CancellationToken ct)
    {
        // [MQTT-3.8.4-6]: the broker never sends a higher QoS than granted, and this client never asks for QoS 2.
        if (publish.Qos == MqttQos.ExactlyOnce)
            throw new MqttProtocolException($"The broker sent a QoS 2 PUBLISH on '{publish.Topic}' but no QoS 2 subscription exists [MQTT-3.8.4-6].");
        Statistics.OnReceived();
        var message = new MqttMessage(publish.Topic, publish.Payload, publish.Qos, publish.Retain, publish.Duplicate, publish.PacketId, connection.Id);
        var manual = _options.ManualAck && publish.Qos == MqttQos.AtLeastOnce;
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
        // Auto mode: PUBACK once the message is safely queued for the application ([MQTT-4.3.2-2]). Handled in
        // packet order, so PUBACKs follow receipt order ([MQTT-4.6.0-2]).
        if (publish.Qos == MqttQos.AtLeastOnce && !manual)
            await connection.SendSmallAsync(MqttPacketType.PubAck, publish.PacketId, ct).ConfigureAwait(false);
    }

    private static void CompleteRequest(ClientConnection connection, ushort packetId, MqttPacket packet)
    {
        if (connection.Requests.TryRemove(packetId, out var request)) request.TrySetResult(packet);
    }
}
