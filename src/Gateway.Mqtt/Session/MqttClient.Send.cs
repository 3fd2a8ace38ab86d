using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    // Bytes written per flush at most while batching ready messages.
    private const int FlushBatchBytes = 64 * 1024;

    /// <summary>
    /// The only writer of PUBLISH packets on a connection: first re-sends what is unacknowledged, in order, then takes
    /// new messages in order, taking a send-window slot before each QoS 1/2 message ([MQTT-4.9.0-1]). The write lock
    /// is never held while waiting for a slot (the receive loop needs it to acknowledge). Everything that is ready goes
    /// out in one flush.
    /// </summary>
    private async Task SendLoopAsync(ClientConnection connection)
    {
        var ct = connection.Token;
        await ResendAsync(connection, ct).ConfigureAwait(false);
        var written = new List<PublishRecord>();
        var reader = _outbox.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (!reader.TryPeek(out var head)) continue;
            var slot = head.Qos != MqttQos.AtMostOnce && !head.IsCompleted;
            if (slot) await connection.Window.AcquireAsync(ct).ConfigureAwait(false);
            try
            {
                await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (slot) connection.Window.Release();
                throw;
            }
            try
            {
                reader.TryRead(out var record);
                Write(connection, record!, written, slot);
                var bytes = 0;
                while (bytes < FlushBatchBytes && reader.TryPeek(out var next))
                {
                    var nextSlot = next.Qos != MqttQos.AtMostOnce && !next.IsCompleted;
                    if (nextSlot && !connection.Window.TryAcquire()) break;
                    reader.TryRead(out next);
                    bytes += Write(connection, next!, written, nextSlot);
                }
            }
            catch
            {
                CarryBack(connection, written);
                throw;
            }
            await FlushWrittenAsync(connection, written, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Flushes what the caller wrote while holding the write lock, then releases the lock. The QoS 0 records in
    /// <paramref name="written"/> complete once the flush is out; if it fails they are carried to the next connection.
    /// </summary>
    private async Task FlushWrittenAsync(ClientConnection connection, List<PublishRecord> written, CancellationToken ct)
    {
        try
        {
            await connection.FlushAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            CarryBack(connection, written);
            throw;
        }
        connection.WriteLock.Release();
        CompleteWritten(written);
    }

    /// <summary>
    /// A write or its flush failed: the QoS 0 records already written go out again on the next connection (QoS 1/2
    /// records are in the unacknowledged list, which is re-sent anyway); releases the write lock the caller held.
    /// </summary>
    private void CarryBack(ClientConnection connection, List<PublishRecord> written)
    {
        lock (_gate) _carried.AddRange(written);
        connection.WriteLock.Release();
    }

    /// <summary>
    /// Encodes one new record into the socket's buffer, or completes it at once (cancelled before sending, or beyond
    /// what the broker allows). QoS 0 records go to <paramref name="qos0"/> to complete after the flush. Returns bytes written.
    /// </summary>
    private int Write(ClientConnection connection, PublishRecord record, List<PublishRecord> qos0, bool hasSlot)
    {
        var limits = connection.Limits;
        var refusal = record.IsCompleted ? (MqttReasonCode?)null
            // [MQTT-3.2.2-11]: not above the broker's Maximum QoS; [MQTT-3.2.2-14]: no retain where it is not available.
            : record.Qos > limits.MaximumQos ? MqttReasonCode.QosNotSupported
            : record.Retain && !limits.RetainAvailable ? MqttReasonCode.RetainNotSupported
            : null;
        if (record.IsCompleted || refusal is not null)
        {
            if (hasSlot) connection.Window.Release();
            if (refusal is { } code)
                record.TryFail(new MqttPublishException(record.Topic, code, null, $"The broker allows at most QoS {(int)limits.MaximumQos} and retain={limits.RetainAvailable} (its CONNACK); publish within those."));
            record.Release();
            return 0;
        }
        if (record.Qos != MqttQos.AtMostOnce)
        {
            if (!_packetIds.TryAllocate(out var id))
                throw new MqttException("All 65535 packet identifiers are in use; lower MaxInflight.");
            record.AssignPacketId(id);
            record.WindowConnection = connection.Id;
            lock (_gate)
            {
                // Registered before the write: if the write fails, the record is re-sent on the next connection.
                record.Node = _unacked.AddLast(record);
                _unackedById[id] = record;
            }
        }
        var n = EncodePublish(connection, record, duplicate: false);
        if (n == 0)
        {
            // Too large for this broker: the QoS 1/2 bookkeeping is undone and the publisher told why.
            if (record.Qos != MqttQos.AtMostOnce) ForgetRecord(connection, record);
            record.TryFail(new MqttPublishException(record.Topic, MqttReasonCode.PacketTooLarge, null,
                $"The broker's Maximum Packet Size is {limits.MaxOutgoingPacketSize} bytes; send a smaller payload."));
            record.Release();
            return 0;
        }
        if (record.Qos == MqttQos.AtMostOnce) qos0.Add(record);
        return n;
    }

    /// <summary>
    /// Writes the PUBLISH of <paramref name="record"/> with this connection's topic alias, or returns 0 without writing
    /// when it exceeds the broker's Maximum Packet Size ([MQTT-3.1.2-24] from the broker's side, section 3.2.2.3.6).
    /// </summary>
    private int EncodePublish(ClientConnection connection, PublishRecord record, bool duplicate)
    {
        var limits = connection.Limits;
        ushort alias = 0;
        var omitTopic = false;
        if (limits.TopicAliasMaximum > 0)
        {
            // Section 3.3.2.3.4: the first PUBLISH carries topic and alias; later ones only the alias. Aliases are
            // assigned first come, first served and never re-mapped, so an alias always means one topic.
            if (connection.TopicAliases.TryGetValue(record.Topic, out alias)) omitTopic = true;
            else if (connection.TopicAliases.Count < limits.TopicAliasMaximum)
                connection.TopicAliases[record.Topic] = alias = (ushort)(connection.TopicAliases.Count + 1);
        }
        var payload = record.Payload.WrittenSpan;
        var size = MqttPacketWriter.PublishSize(record.Topic, payload.Length, record.Qos, limits.Version, record.Properties, alias, omitTopic);
        if (size > limits.MaxOutgoingPacketSize)
        {
            if (alias != 0 && !omitTopic) connection.TopicAliases.Remove(record.Topic);
            return 0;
        }
        MqttPacketWriter.WritePublish(connection.Transport.Output, record.Topic, payload, record.Qos, record.Retain, duplicate,
            record.PacketId, int.MaxValue, limits.Version, record.Properties, alias, omitTopic);
        Statistics.OnPublished();
        return size;
    }

    /// <summary>
    /// After a reconnect: every unacknowledged QoS 1/2 message again, in the original order ([MQTT-4.4.0-1],
    /// [MQTT-4.6.0-1]): with a session, PUBLISH with DUP=1 ([MQTT-3.3.1-1]) or, past PUBREC, PUBREL; without one, PUBLISH
    /// as new (DUP=0; the broker forgot the id) while a QoS 2 message past PUBREC is complete (the broker owned it).
    /// Then the QoS 0 messages whose write failed with the last connection.
    /// </summary>
    private async Task ResendAsync(ClientConnection connection, CancellationToken ct)
    {
        PublishRecord[] unacked;
        PublishRecord[] carried;
        lock (_gate)
        {
            unacked = [.. _unacked];
            carried = [.. _carried];
            _carried.Clear();
        }
        if (unacked.Length == 0 && carried.Length == 0) return;
        MqttClientLog.Resending(_logger, unacked.Length, _endpoint, connection.SessionPresent);
        var next = 0;
        while (next < unacked.Length)
        {
            // Slots are awaited without the write lock; then as many as fit are written under it.
            await connection.Window.AcquireAsync(ct).ConfigureAwait(false);
            var hasSlot = true;
            await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                while (next < unacked.Length && (hasSlot || connection.Window.TryAcquire()))
                {
                    hasSlot = false;
                    ResendOne(connection, unacked[next++]);
                }
                if (hasSlot) connection.Window.Release();
                await connection.FlushAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                connection.WriteLock.Release();
            }
        }
        var written = new List<PublishRecord>();
        await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var record in carried) Write(connection, record, written, hasSlot: false);
        }
        catch
        {
            CarryBack(connection, written);
            throw;
        }
        await FlushWrittenAsync(connection, written, ct).ConfigureAwait(false);
    }

    /// <summary>Re-sends one record holding a window slot; the caller holds the write lock.</summary>
    private void ResendOne(ClientConnection connection, PublishRecord record)
    {
        record.WindowConnection = connection.Id;
        if (record.Released)
        {
            if (connection.SessionPresent)
            {
                // [MQTT-4.4.0-1]: PUBREL again with the original packet identifier.
                MqttPacketWriter.WritePacketIdOnly(connection.Transport.Output, MqttPacketType.PubRel, record.PacketId);
                return;
            }
            CompleteRecord(connection, record, new MqttPublishResult(MqttReasonCode.Success), null);
            return;
        }
        if (EncodePublish(connection, record, duplicate: connection.SessionPresent) == 0)
        {
            CompleteRecord(connection, record, default, new MqttPublishException(record.Topic, MqttReasonCode.PacketTooLarge, null,
                $"The broker's Maximum Packet Size is now {connection.Limits.MaxOutgoingPacketSize} bytes; send a smaller payload."));
        }
    }

    private static void CompleteWritten(List<PublishRecord> written)
    {
        foreach (var done in written)
        {
            done.TrySucceed();
            done.Release();
        }
        written.Clear();
    }
}
