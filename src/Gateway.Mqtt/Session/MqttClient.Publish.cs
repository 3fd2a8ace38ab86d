using System.Buffers;
using System.Threading.Channels;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Session;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    private readonly Channel<PublishRecord> _outbox;
    private readonly SemaphoreSlim _inflightSlots;

    // QoS 1 publishes written at least once and not yet acknowledged, in send order (guarded by _gate). They keep
    // their packet identifiers and inflight slots across reconnects and are re-sent first ([MQTT-4.4.0-1]).
    private readonly LinkedList<PublishRecord> _unacked = new();
    private readonly Dictionary<ushort, PublishRecord> _unackedById = [];

    // QoS 0 publishes taken from the outbox whose write failed with the connection; sent first on the next one.
    private readonly List<PublishRecord> _carried = [];

    /// <summary>
    /// Publishes a message. QoS 0 completes when written to the socket (waiting for a connection when offline); QoS 1
    /// completes when the broker's PUBACK arrives, across reconnects. Publishers wait asynchronously while
    /// MaxPendingPublishes messages are queued. The payload is copied before this method returns, but callers should
    /// treat it as borrowed until the returned task completes (a later version may send it without copying).
    /// Cancelling <paramref name="ct"/> abandons the wait; a QoS 1 message already written stays in flight until acknowledged.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name, or the packet would exceed MaxPacketSize.</exception>
    /// <exception cref="NotSupportedException">QoS 2, which this version does not implement.</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos = MqttQos.AtLeastOnce, bool retain = false, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        MqttTopic.ValidateTopicName(topic, nameof(topic));
        if (qos == MqttQos.ExactlyOnce) throw new NotSupportedException("QoS 2 is not implemented in this version; publish with AtLeastOnce.");
        if (qos > MqttQos.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2.");
        if (ct.IsCancellationRequested) return ValueTask.FromCanceled(ct);

        var record = PublishRecord.Rent(qos);
        try
        {
            record.Encode(topic, payload.Span, retain, _options.MaxPacketSize);
        }
        catch
        {
            record.Abandon();
            throw;
        }
        if (!_outbox.Writer.TryWrite(record)) return EnqueueSlowAsync(record, ct);
        record.RegisterCancellation(ct);
        return new ValueTask(record, record.Version);
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

    /// <summary>
    /// The only writer of PUBLISH packets on a connection: first re-sends what is unacknowledged, in order, then takes
    /// new messages in order, waiting for an inflight slot before each QoS 1 message. Writes are batched: everything
    /// that is ready goes out in one flush.
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
            if (head.Qos == MqttQos.AtLeastOnce) await _inflightSlots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                if (head.Qos == MqttQos.AtLeastOnce) _inflightSlots.Release();
                throw;
            }
            try
            {
                reader.TryRead(out var record);
                Write(connection, record!, written);
                // Batch what else is ready, up to ~64 KiB per flush.
                var bytes = 0;
                while (bytes < 64 * 1024 && reader.TryPeek(out var next)
                    && (next.Qos == MqttQos.AtMostOnce || _inflightSlots.Wait(0)))
                {
                    reader.TryRead(out next);
                    bytes += Write(connection, next!, written);
                }
                await connection.FlushAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                lock (_gate) _carried.AddRange(written);
                throw;
            }
            finally
            {
                connection.WriteLock.Release();
            }
            foreach (var done in written)
            {
                done.TrySucceed();
                done.Release();
            }
            written.Clear();
        }
    }

    /// <summary>Encodes one record into the socket's buffer; returns its size. QoS 0 records go to <paramref name="qos0"/> to complete after the flush.</summary>
    private int Write(ClientConnection connection, PublishRecord record, List<PublishRecord> qos0)
    {
        if (record.IsCompleted)
        {
            // Cancelled by its publisher before it was sent: drop it, and give back its slot.
            if (record.Qos == MqttQos.AtLeastOnce) _inflightSlots.Release();
            record.Release();
            return 0;
        }
        if (record.Qos == MqttQos.AtLeastOnce)
        {
            if (!_packetIds.TryAllocate(out var id))
                throw new MqttException("All 65535 packet identifiers are in use; lower MaxInflight.");
            record.AssignPacketId(id);
            lock (_gate)
            {
                // Registered before the write: if the write fails, the record is re-sent on the next connection.
                record.Node = _unacked.AddLast(record);
                _unackedById[id] = record;
            }
        }
        else
        {
            qos0.Add(record);
        }
        connection.Transport.Output.Write(record.Packet.WrittenSpan);
        Statistics.OnPublished();
        return record.Packet.WrittenCount;
    }

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
        var written = new List<PublishRecord>();
        await connection.WriteLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var record in unacked)
            {
                // [MQTT-4.4.0-1]: re-send with the original packet identifier; DUP=1 when the broker kept the session
                // ([MQTT-3.3.1-1]). Without a session the broker forgot the id, so it is a new message (DUP=0).
                record.SetDuplicate(connection.SessionPresent);
                connection.Transport.Output.Write(record.Packet.WrittenSpan);
                Statistics.OnPublished();
            }
            foreach (var record in carried) Write(connection, record, written);
            await connection.FlushAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate) _carried.AddRange(written);
            throw;
        }
        finally
        {
            connection.WriteLock.Release();
        }
        foreach (var done in written)
        {
            done.TrySucceed();
            done.Release();
        }
    }

    /// <summary>PUBACK: the QoS 1 flow for this packet identifier is complete ([MQTT-4.3.2]).</summary>
    private void OnPubAck(ushort packetId)
    {
        PublishRecord? record;
        lock (_gate)
        {
            if (_unackedById.Remove(packetId, out record)) _unacked.Remove(record.Node!);
        }
        if (record is null)
        {
            MqttClientLog.UnknownPubAck(_logger, packetId);
            return;
        }
        _packetIds.Release(packetId);
        _inflightSlots.Release();
        Statistics.OnAcknowledged();
        record.TrySucceed();
        record.Release();
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
