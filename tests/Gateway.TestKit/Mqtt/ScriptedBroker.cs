using System.Buffers;
using System.Threading.Channels;
using Gateway.Mqtt;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using Gateway.Mqtt.Transport;

namespace Gateway.TestKit.Mqtt;

/// <summary>
/// A broker a test drives step by step through the client's transport seam (<see cref="MqttClientOptions.TransportFactory"/>),
/// for what a real broker will not do on cue: refuse one publish, withhold acknowledgements, cut the connection
/// between two packets. Each connection attempt of the client opens a new <see cref="PipeTransport"/>; the test
/// accepts it with <see cref="AcceptAsync"/> and then reads the client's PUBLISH packets and answers them.
/// PINGREQ is answered by itself. Decodes and encodes with our own codec.
/// </summary>
public sealed class ScriptedBroker
{
    private readonly Channel<PipeTransport> _attempts = Channel.CreateUnbounded<PipeTransport>();
    private readonly MqttProtocolVersion _version;
    private readonly ushort? _receiveMaximum;
    private PipeTransport? _current;
    private int _connections;

    /// <param name="receiveMaximum">5.0: the Receive Maximum announced in CONNACK (the client's send window).</param>
    public ScriptedBroker(MqttProtocolVersion version = MqttProtocolVersion.V311, ushort? receiveMaximum = null)
    {
        _version = version;
        _receiveMaximum = receiveMaximum;
    }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Options for a client that connects here, with the given id and the transport seam set.</summary>
    public MqttClientOptions ClientOptions(string clientId, int maxInflight = 20, bool cleanSession = true) => new()
    {
        Host = "scripted-broker",
        ClientId = clientId,
        ProtocolVersion = _version,
        MaxInflight = maxInflight,
        CleanSession = cleanSession,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(10),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(50),
        TransportFactory = ConnectAsync,
    };

    private ValueTask<MqttTransport> ConnectAsync(CancellationToken cancellationToken)
    {
        var transport = new PipeTransport("scripted-broker");
        _attempts.Writer.TryWrite(transport);
        return ValueTask.FromResult<MqttTransport>(transport);
    }

    /// <summary>Connects <paramref name="client"/> (made from <see cref="ClientOptions"/>) and accepts that connection.</summary>
    public async Task ConnectAsync(MqttClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var connecting = client.ConnectAsync(cancellationToken);
        await AcceptAsync(cancellationToken);
        await connecting;
    }

    /// <summary>Takes the client's next connection: reads CONNECT and answers an accepted CONNACK.</summary>
    /// <param name="sessionPresent">Tell the client its session (and so the in-flight publishes) was kept.</param>
    public async Task AcceptAsync(CancellationToken cancellationToken, bool sessionPresent = false)
    {
        _current = await _attempts.Reader.ReadAsync(cancellationToken);
        var connect = await ReadPacketAsync(cancellationToken);
        if (connect is not ConnectPacket) throw new InvalidOperationException($"The client opened with {connect.Type}, not CONNECT [MQTT-3.1.0-1].");
        var ack = new ConnAckPacket(sessionPresent, ConnectReturnCode.Accepted);
        if (_version == MqttProtocolVersion.V500) ack = ack with { Properties = new MqttProperties { ReceiveMaximum = _receiveMaximum } };
        await SendAsync(ack, cancellationToken);
        Interlocked.Increment(ref _connections);
    }

    /// <summary>The next PUBLISH the client sends on the current connection (PINGREQ is answered on the way).</summary>
    public async Task<ScriptedPublish> NextPublishAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var packet = await ReadPacketAsync(cancellationToken);
            switch (packet)
            {
                case PublishPacket p:
                    return new ScriptedPublish(p.Topic, p.Payload.ToArray(), p.Qos, p.Duplicate, p.PacketId);
                case EmptyPacket { Type: MqttPacketType.PingReq }:
                    await SendAsync(EmptyPacket.PingResp, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"Expected PUBLISH, the client sent {packet.Type}.");
            }
        }
    }

    /// <summary>Answers a QoS 1 publish; under 5.0 a reason of 0x80 or above refuses it.</summary>
    public Task PubAckAsync(ushort packetId, CancellationToken cancellationToken, MqttReasonCode reason = MqttReasonCode.Success) =>
        SendAsync(new PacketIdOnlyPacket(MqttPacketType.PubAck, packetId) { ReasonCode = reason }, cancellationToken);

    /// <summary>Breaks the current connection like a TCP reset; the client reconnects through the factory.</summary>
    public void Cut() => Current.Abort();

    private PipeTransport Current => _current ?? throw new InvalidOperationException("No connection accepted yet: call AcceptAsync first.");

    private async Task SendAsync(MqttPacket packet, CancellationToken cancellationToken)
    {
        MqttPacketWriter.Write(Current.ToClient, packet, version: _version);
        await Current.ToClient.FlushAsync(cancellationToken);
    }

    private async Task<MqttPacket> ReadPacketAsync(CancellationToken cancellationToken)
    {
        var decoder = new MqttPacketReader(1 << 24, _version);
        var input = Current.ToBroker;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var reader = new SequenceReader<byte>(result.Buffer);
            if (decoder.TryRead(ref reader, out var packet))
            {
                input.AdvanceTo(reader.Position);
                return packet;
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted) throw new IOException("The client closed the connection.");
        }
    }
}

/// <summary>A PUBLISH as the scripted broker received it.</summary>
public sealed record ScriptedPublish(string Topic, byte[] Payload, MqttQos Qos, bool Duplicate, ushort PacketId);
