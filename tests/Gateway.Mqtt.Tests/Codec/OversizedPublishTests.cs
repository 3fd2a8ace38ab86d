using System.Buffers;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

/// <summary>
/// A PUBLISH above the maximum packet size is skipped, not fatal: a 3.1.1 client cannot announce its limit, and closing
/// the connection made the broker redeliver the same message forever (issue 12 item 2).
/// </summary>
public sealed class OversizedPublishTests
{
    [Fact]
    public void OversizedPublish_FedInSmallPieces_YieldsItsHead_SkipsItsPayload_ThenTheNextPacket()
    {
        var big = Encode(new PublishPacket("fleet/evil-05/telemetry", new byte[5000], MqttQos.AtLeastOnce, PacketId: 77));
        var next = Encode(new PublishPacket("fleet/gw-1/telemetry", "ok"u8.ToArray(), MqttQos.AtLeastOnce, PacketId: 78));
        var wire = big.Concat(next).ToArray();
        var reader = new MqttPacketReader(maxPacketSize: 1000);
        var packets = new List<MqttPacket>();
        // The receive loop's way: a growing buffer of what arrived, minus what was consumed, 100 bytes at a time.
        long consumed = 0;
        for (var arrived = 100; consumed < wire.Length; arrived = Math.Min(arrived + 100, wire.Length))
        {
            while (true)
            {
                var r = new SequenceReader<byte>(new ReadOnlySequence<byte>(wire, (int)consumed, arrived - (int)consumed));
                var ok = reader.TryRead(ref r, out var packet);
                consumed += r.Consumed;
                if (!ok) break;
                packets.Add(packet!);
            }
            if (arrived == wire.Length && consumed < wire.Length) Assert.Fail($"stuck at {consumed} of {wire.Length} bytes");
        }
        var head = Assert.IsType<OversizedPublishPacket>(packets[0]);
        Assert.Equal(("fleet/evil-05/telemetry", (ushort)77, MqttQos.AtLeastOnce, (long)big.Length), (head.Topic, head.PacketId, head.Qos, head.Size));
        var after = Assert.IsType<PublishPacket>(packets[1]);
        Assert.Equal(("fleet/gw-1/telemetry", (ushort)78, "ok"), (after.Topic, after.PacketId, System.Text.Encoding.UTF8.GetString(after.Payload.Span)));
        Assert.Equal(2, packets.Count);
    }

    [Fact]
    public void OversizedPublish_HeadNotYetBuffered_ConsumesNothing()
    {
        var big = Encode(new PublishPacket("fleet/evil-05/telemetry", new byte[5000], MqttQos.AtLeastOnce, PacketId: 77));
        var reader = new MqttPacketReader(maxPacketSize: 1000);
        var r = new SequenceReader<byte>(new ReadOnlySequence<byte>(big, 0, 10));
        Assert.False(reader.TryRead(ref r, out _));
        Assert.Equal(0, r.Consumed);
    }

    [Fact]
    public void OversizedOtherPacket_StillClosesTheConnection()
    {
        // A SUBACK announcing 131 bytes with a bound of 100: nothing to get past, the broker is broken.
        Assert.Throws<MqttProtocolException>(() =>
        {
            var r = new SequenceReader<byte>(new ReadOnlySequence<byte>(Hex("90 80 01")));
            return new MqttPacketReader(maxPacketSize: 100).TryRead(ref r, out _);
        });
    }
}
