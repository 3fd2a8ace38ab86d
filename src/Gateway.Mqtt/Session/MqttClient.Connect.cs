using System.Buffers;
using System.Text;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Session;
using Gateway.Mqtt.Transport;

namespace Gateway.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Connects once now. Throws <see cref="MqttConnectException"/> when the broker refuses, or
    /// <see cref="MqttConnectionException"/> when the broker cannot be reached within ConnectTimeout. On success the
    /// client keeps itself connected (as after <see cref="Start"/>) until DisconnectAsync.
    /// </summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            if (_supervisor is not null || _connecting)
                throw new InvalidOperationException("The client is already started; await WaitConnectedAsync instead, or DisconnectAsync first.");
            _connecting = true;
        }
        try
        {
            var connection = await ConnectOnceAsync(ct).ConfigureAwait(false);
            StartSupervisor(connection);
        }
        finally
        {
            lock (_gate) _connecting = false;
        }
    }

    /// <summary>Connects in the background and keeps reconnecting with backoff; network errors are logged, never thrown.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_gate)
        {
            if (_supervisor is not null || _connecting) return;
        }
        StartSupervisor(null);
    }

    /// <summary>Sends DISCONNECT (so the broker discards the will, [MQTT-3.1.2-10]) and stops reconnecting.
    /// Queued and unacknowledged publishes stay queued for a later Start or ConnectAsync.</summary>
    public Task DisconnectAsync(CancellationToken ct = default) => StopAsync(sendDisconnect: true, ct);

    private void StartSupervisor(ClientConnection? connected)
    {
        lock (_gate)
        {
            _stop = new CancellationTokenSource();
            var token = _stop.Token;
            _supervisor = Task.Run(() => SuperviseAsync(connected, token), CancellationToken.None);
        }
    }

    private async Task StopAsync(bool sendDisconnect, CancellationToken ct)
    {
        Task? supervisor;
        CancellationTokenSource? stop;
        lock (_gate)
        {
            supervisor = _supervisor;
            stop = _stop;
            _supervisor = null;
            _stop = null;
        }
        if (stop is null) return;
        var connection = Volatile.Read(ref _connection);
        if (connection is { IsClosed: false } && sendDisconnect)
        {
            try
            {
                // DISCONNECT before stopping the supervisor, which would otherwise close the socket first and the
                // broker would publish the will. [MQTT-3.14.4-1]: after DISCONNECT the client closes the connection.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                connection.DisconnectSent = true;
                await connection.SendSmallAsync(MqttPacketType.Disconnect, 0, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MqttException or OperationCanceledException or ObjectDisposedException)
            {
                // Best effort: the connection is going away anyway.
            }
        }
        await stop.CancelAsync().ConfigureAwait(false);
        if (connection is not null) CloseConnection(connection, null);
        if (supervisor is not null) await supervisor.ConfigureAwait(false);
        stop.Dispose();
    }

    /// <summary>One connection attempt: TCP (and TLS), CONNECT, CONNACK, then the connection's loops.</summary>
    private async Task<ClientConnection> ConnectOnceAsync(CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        MqttTransport? transport = null;
        try
        {
            transport = _options.TransportFactory is { } factory
                ? await factory(linked.Token).ConfigureAwait(false)
                : await MqttTcpConnection.ConnectAsync(_options.Host, _options.Port, linked.Token, _tls).ConfigureAwait(false);
            Codec.MqttPacketWriter.Write(transport.Output, BuildConnect(), _options.MaxPacketSize);
            await transport.FlushAsync(linked.Token).ConfigureAwait(false);
            var ack = await ReadConnAckAsync(transport, linked.Token).ConfigureAwait(false);
            var v5 = _options.ProtocolVersion == MqttProtocolVersion.V500;
            if (ack.ReturnCode != ConnectReturnCode.Accepted)
            {
                throw v5 ? new MqttConnectException((MqttReasonCode)ack.ReturnCode, ack.Properties?.ReasonString)
                    : new MqttConnectException(ack.ReturnCode);
            }
            // [MQTT-3.2.2-1] (5.0: [MQTT-3.2.2-2]): after a clean start the broker has no session to resume.
            if (ack.SessionPresent && _options.CleanSession)
                throw new MqttProtocolException("The broker answered a clean-session CONNECT with Session Present set [MQTT-3.2.2-1].");
            // 5.0 section 3.2.2.3.7: with an empty client id the broker assigns one; reuse it so reconnects resume the session.
            if (ack.Properties?.AssignedClientIdentifier is { } assigned) lock (_gate) _clientId = assigned;
            var limits = ConnectionLimits.From(_options, ack.Properties);
            var connection = new ClientConnection(Interlocked.Increment(ref _connectionIds), transport, ack.SessionPresent, limits, _time)
            {
                Inbound = _options.ManualAck && _options.InboundMaxBytes is { } max ? new InboundBudget(max) : null,
            };
            transport = null;
            OnConnected(connection);
            return connection;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new MqttConnectionException($"No connection to the MQTT broker at {_endpoint} within {_options.ConnectTimeout.TotalSeconds:0.#} s (ConnectTimeout). Check that the broker runs and is reachable.", ex);
        }
        catch (MqttProtocolException)
        {
            Statistics.OnProtocolError();
            throw;
        }
        finally
        {
            if (transport is not null) await transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ConnectPacket BuildConnect()
    {
        // Assigned in an if: a null byte[] would convert to an empty, not an absent, password.
        ReadOnlyMemory<byte>? password = null;
        if (_options.Password is not null) password = Encoding.UTF8.GetBytes(_options.Password);
        string clientId;
        lock (_gate) clientId = _clientId;
        var keepAlive = (ushort)_options.KeepAlive.TotalSeconds;
        if (_options.ProtocolVersion != MqttProtocolVersion.V500)
            return new ConnectPacket(clientId, _options.CleanSession, keepAlive, _options.Username, password, _options.Will);
        var expiry = _options.SessionExpiryInterval is { } e ? (uint)e.TotalSeconds : _options.CleanSession ? 0u : uint.MaxValue;
        var properties = new MqttProperties
        {
            // Section 3.1.2.11.2: absent means 0, so it is only sent when non-zero.
            SessionExpiryInterval = expiry == 0 ? null : expiry,
            // [MQTT-3.3.4-9]: the broker never has more unacknowledged QoS>0 messages to us than this.
            ReceiveMaximum = (ushort)Math.Min(_options.InboundCapacity, ushort.MaxValue),
            // [MQTT-3.1.2-24]: the broker must not send us a packet above this size.
            MaximumPacketSize = (uint)_options.MaxPacketSize,
        };
        return new ConnectPacket(clientId, _options.CleanSession, keepAlive, _options.Username, password, _options.Will, ConnectPacket.ProtocolLevel500)
        {
            Properties = properties,
            WillProperties = WillProperties(_options.Will),
        };
    }

    private static MqttProperties? WillProperties(MqttWill? will) => will is not { HasV5Properties: true } ? null : new MqttProperties
    {
        WillDelayInterval = will.DelayInterval is { } d ? (uint)d.TotalSeconds : null,
        MessageExpiryInterval = will.MessageExpiryInterval is { } m ? (uint)m.TotalSeconds : null,
        ContentType = will.ContentType,
        PayloadFormatIndicator = (byte?)will.PayloadFormat,
        ResponseTopic = will.ResponseTopic,
        CorrelationData = will.CorrelationData,
        UserProperties = will.UserProperties is { Count: > 0 } u ? [.. u] : null,
    };

    // [MQTT-3.2.0-1]: the first packet from the server is CONNACK. Bytes after it stay in the pipe for the receive loop.
    private async Task<ConnAckPacket> ReadConnAckAsync(MqttTransport transport, CancellationToken ct)
    {
        _packetReader.Reset();
        while (true)
        {
            var result = await transport.ReadAsync(ct).ConfigureAwait(false);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (_packetReader.TryRead(ref reader, out var packet))
            {
                transport.Input.AdvanceTo(reader.Position);
                return packet as ConnAckPacket ?? throw new MqttProtocolException($"The broker sent {packet.Type} before CONNACK [MQTT-3.2.0-1].");
            }
            transport.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted) throw new MqttConnectionException($"The MQTT broker at {_endpoint} closed the connection before CONNACK.");
        }
    }

    private void OnConnected(ClientConnection connection)
    {
        lock (_gate)
        {
            Volatile.Write(ref _connection, connection);
            _connectedSignal.TrySetResult();
        }
        Statistics.OnConnect();
        connection.Completion = Task.WhenAll(
            Task.Run(() => RunLoopAsync(connection, ReceiveLoopAsync), CancellationToken.None),
            Task.Run(() => RunLoopAsync(connection, SendLoopAsync), CancellationToken.None),
            Task.Run(() => RunLoopAsync(connection, KeepAliveLoopAsync), CancellationToken.None));
        if (!connection.SessionPresent)
        {
            // Section 4.1: without a session the broker forgot the QoS 2 flows it sent us, so our record of them goes too.
            lock (_gate) _inboundQos2.Clear();
            _ = ResubscribeAsync(connection);
        }
        else if (_options.ResubscribeWhenSessionPresent)
        {
            _ = ResubscribeAsync(connection);
        }
        MqttClientLog.Connected(_logger, _endpoint, _options.ClientId, connection.SessionPresent);
        Raise(Connected, new MqttConnectedEventArgs(connection.SessionPresent), nameof(Connected));
    }

    private async Task RunLoopAsync(ClientConnection connection, Func<ClientConnection, Task> loop)
    {
        try
        {
            await loop(connection).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connection.IsClosed)
        {
            // Another loop closed the connection.
        }
        catch (Exception ex)
        {
            if (ex is MqttProtocolException)
            {
                Statistics.OnProtocolError();
                MqttClientLog.ProtocolError(_logger, ex, _endpoint);
            }
            CloseConnection(connection, ex);
        }
    }

    /// <summary>Closes a connection once: stops its loops, resets the connected signal, raises Disconnected.</summary>
    private void CloseConnection(ClientConnection connection, Exception? reason)
    {
        // After our DISCONNECT the broker closing the socket is the clean end we asked for, not a loss to warn about.
        if (connection.DisconnectSent) reason = null;
        if (!connection.TryClose(reason)) return;
        lock (_gate)
        {
            if (ReferenceEquals(_connection, connection)) Volatile.Write(ref _connection, null);
            if (_connectedSignal.Task.IsCompleted) _connectedSignal = NewSignal();
        }
        Statistics.OnDisconnect();
        if (reason is null) MqttClientLog.Disconnected(_logger, _endpoint);
        else MqttClientLog.ConnectionLost(_logger, reason, _endpoint);
        Raise(Disconnected, new MqttDisconnectedEventArgs(reason), nameof(Disconnected));
    }

    /// <summary>Test hook: drops the TCP connection without DISCONNECT, as a network failure would (the broker publishes the will).</summary>
    internal void DropConnection()
    {
        if (Volatile.Read(ref _connection) is { } connection) connection.Transport.Abort();
    }
}
