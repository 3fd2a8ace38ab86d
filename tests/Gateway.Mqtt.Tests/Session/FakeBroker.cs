using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Tests.Session;

/// <summary>
/// A scripted one-connection broker for behaviour a real broker will not show on demand (silence on PINGREQ,
/// SUBACK failure). It decodes with our own codec and answers CONNECT with an accepted CONNACK.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _socket;
    private readonly List<byte> _buffer = [];

    public FakeBroker() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task AcceptAsync(CancellationToken ct)
    {
        _socket = await _listener.AcceptSocketAsync(ct);
        Assert.IsType<ConnectPacket>(await ReceiveAsync(ct));
        await SendAsync(new ConnAckPacket(false, ConnectReturnCode.Accepted), ct);
    }

    public async Task<MqttPacket> ReceiveAsync(CancellationToken ct)
    {
        var decoder = new MqttPacketReader(1 << 20);
        var chunk = new byte[4096];
        while (true)
        {
            if (TryTake(decoder, out var packet)) return packet;
            var n = await _socket!.ReceiveAsync(chunk, SocketFlags.None, ct);
            if (n == 0) throw new IOException("client closed");
            _buffer.AddRange(chunk.AsSpan(0, n));
        }
    }

    public async Task SendAsync(MqttPacket packet, CancellationToken ct)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(writer, packet);
        await _socket!.SendAsync(writer.WrittenMemory, SocketFlags.None, ct);
    }

    private bool TryTake(MqttPacketReader decoder, out MqttPacket packet)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_buffer.ToArray()));
        if (!decoder.TryRead(ref reader, out var decoded))
        {
            packet = null!;
            return false;
        }
        _buffer.RemoveRange(0, (int)reader.Consumed);
        packet = decoded;
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
