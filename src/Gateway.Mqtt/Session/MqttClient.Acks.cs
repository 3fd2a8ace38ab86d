using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// The last acknowledgement of a flow: PUBACK ends a QoS 1 flow ([MQTT-4.3.2]), PUBCOMP a QoS 2 flow whose PUBREL
    /// we sent ([MQTT-4.3.3]). A 5.0 failure reason fails the publish; an identifier we do not know is logged and ignored.
    /// </summary>
    private void OnFinalAck(ClientConnection connection, PacketIdOnlyPacket ack, MqttQos qos)
    {
        var record = Find(ack.PacketId, qos, released: qos == MqttQos.ExactlyOnce);
        if (record is null)
        {
            MqttClientLog.UnknownPubAck(_logger, ack.PacketId);
            return;
        }
        Complete(connection, record, ack);
    }

    /// <summary>
    /// PUBREC (QoS 2, [MQTT-4.3.3]): the broker owns the message; answer PUBREL and wait for PUBCOMP. A 5.0 failure
    /// reason ends the flow (5.0 section 4.3.3: no PUBREL after a PUBREC of 0x80 or above) and fails the publish.
    /// </summary>
    private ValueTask OnPubRecAsync(ClientConnection connection, PacketIdOnlyPacket rec, CancellationToken ct)
    {
        var record = Find(rec.PacketId, MqttQos.ExactlyOnce, released: null);
        if (record is null)
        {
            // 5.0 section 4.3.3: PUBREL with 0x92 for an identifier we do not know; 3.1.1 has no code, so a plain PUBREL.
            MqttClientLog.UnknownPubAck(_logger, rec.PacketId);
            return connection.SendSmallAsync(MqttPacketType.PubRel, rec.PacketId, ct, MqttReasonCode.PacketIdentifierNotFound);
        }
        if (rec.ReasonCode.IsFailure())
        {
            Complete(connection, record, rec);
            return default;
        }
        record.Released = true;
        return connection.SendSmallAsync(MqttPacketType.PubRel, rec.PacketId, ct);
    }

    private PublishRecord? Find(ushort packetId, MqttQos qos, bool? released)
    {
        lock (_gate)
        {
            return _unackedById.TryGetValue(packetId, out var record) && record.Qos == qos && (released is null || record.Released == released)
                ? record : null;
        }
    }

    private void Complete(ClientConnection connection, PublishRecord record, PacketIdOnlyPacket ack)
    {
        var reasonString = ack.Properties?.ReasonString;
        Statistics.OnAcknowledged();
        CompleteRecord(connection, record, new MqttPublishResult(ack.ReasonCode, reasonString),
            ack.ReasonCode.IsFailure() ? new MqttPublishException(record.Topic, ack.ReasonCode, reasonString) : null);
    }

    /// <summary>Ends a QoS 1/2 flow: forgets the record, frees its id and window slot, completes the publisher.</summary>
    private void CompleteRecord(ClientConnection connection, PublishRecord record, MqttPublishResult result, Exception? error)
    {
        if (!ForgetRecord(connection, record)) return;
        if (error is null) record.TrySucceed(result);
        else record.TryFail(error);
        record.Release();
    }

    private bool ForgetRecord(ClientConnection connection, PublishRecord record)
    {
        lock (_gate)
        {
            if (!_unackedById.Remove(record.PacketId)) return false;
            _unacked.Remove(record.Node!);
        }
        _packetIds.Release(record.PacketId);
        // Only the connection whose quota the record counts against gets the slot back ([MQTT-4.9.0-2]).
        if (record.WindowConnection == connection.Id) connection.Window.Release();
        record.WindowConnection = 0;
        return true;
    }
}
