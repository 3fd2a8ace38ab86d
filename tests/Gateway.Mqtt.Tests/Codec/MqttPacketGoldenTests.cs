using System.Buffers;
using System.Text;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

/// <summary>Golden bytes written by hand from the MQTT 3.1.1 specification, section by section.</summary>
public class MqttPacketGoldenTests
{
    private static readonly byte[] Hi = "hi"u8.ToArray();

    /// <summary>name, packet, bytes (hex).</summary>
    public static TheoryData<string, object, string> Golden => new()
    {
        // 3.1: flags 0xEE = user(80) pass(40) will retain(20) will QoS1(08) will(04) clean(02); keep alive 60.
        { "CONNECT will+credentials", new ConnectPacket("c1", true, 60, "u", "p"u8.ToArray(), new MqttWill("w/t", "bye"u8.ToArray(), MqttQos.AtLeastOnce, true)),
          "10 1E 0004 4D515454 04 EE 003C 0002 6331 0003 772F74 0003 627965 0001 75 0001 70" },
        { "CONNECT minimal", new ConnectPacket("c", true, 0), "10 0D 0004 4D515454 04 02 0000 0001 63" },
        { "CONNECT persistent, no will", new ConnectPacket("id", false, 30, "user"), "10 14 0004 4D515454 04 80 001E 0002 6964 0004 75736572" },
        { "CONNACK session present", new ConnAckPacket(true, ConnectReturnCode.Accepted), "20 02 01 00" },
        { "CONNACK not authorized", new ConnAckPacket(false, ConnectReturnCode.NotAuthorized), "20 02 00 05" },
        { "PUBLISH QoS0", new PublishPacket("a/b", Hi), "30 07 0003 612F62 6869" },
        { "PUBLISH QoS0 retain empty payload", new PublishPacket("a/b", ReadOnlyMemory<byte>.Empty, Retain: true), "31 05 0003 612F62" },
        { "PUBLISH QoS1 DUP retain id 10", new PublishPacket("a/b", Hi, MqttQos.AtLeastOnce, true, true, 10), "3B 09 0003 612F62 000A 6869" },
        { "PUBLISH QoS1", new PublishPacket("a/b", Hi, MqttQos.AtLeastOnce, PacketId: 0x1234), "32 09 0003 612F62 1234 6869" },
        { "PUBLISH QoS2 (data only)", new PublishPacket("a/b", Hi, MqttQos.ExactlyOnce, PacketId: 1), "34 09 0003 612F62 0001 6869" },
        { "PUBACK", new PacketIdOnlyPacket(MqttPacketType.PubAck, 10), "40 02 000A" },
        { "PUBREC", new PacketIdOnlyPacket(MqttPacketType.PubRec, 10), "50 02 000A" },
        { "PUBREL", new PacketIdOnlyPacket(MqttPacketType.PubRel, 10), "62 02 000A" },
        { "PUBCOMP", new PacketIdOnlyPacket(MqttPacketType.PubComp, 10), "70 02 000A" },
        { "SUBSCRIBE two filters", new SubscribePacket(1, [new("a/#", MqttQos.AtLeastOnce), new("b/+", MqttQos.AtMostOnce)]), "82 0E 0001 0003 612F23 01 0003 622F2B 00" },
        { "SUBACK with failure", new SubAckPacket(1, [0x01, 0x80]), "90 04 0001 01 80" },
        { "UNSUBSCRIBE", new UnsubscribePacket(2, ["a/#"]), "A2 07 0002 0003 612F23" },
        { "UNSUBACK", new PacketIdOnlyPacket(MqttPacketType.UnsubAck, 2), "B0 02 0002" },
        { "PINGREQ", EmptyPacket.PingReq, "C0 00" },
        { "PINGRESP", EmptyPacket.PingResp, "D0 00" },
        { "DISCONNECT", EmptyPacket.Disconnect, "E0 00" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void Encode_Packet_WritesGoldenBytes(string name, object packet, string hex)
    {
        Assert.True(Hex(hex).AsSpan().SequenceEqual(Encode((MqttPacket)packet)), name);
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_GoldenBytes_RoundTripsToSameBytes(string name, object packet, string hex)
    {
        var decoded = DecodeOne(Hex(hex));
        Assert.Equal(((MqttPacket)packet).Type, decoded.Type);
        Assert.True(Hex(hex).AsSpan().SequenceEqual(Encode(decoded)), name);
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_EveryPrefix_ReturnsFalseAndConsumesNothing(string name, object packet, string hex)
    {
        _ = packet;
        var bytes = Hex(hex);
        for (var length = 0; length < bytes.Length; length++)
        {
            var (ok, consumed) = TryDecode(new ReadOnlySequence<byte>(bytes, 0, length));
            Assert.False(ok, $"{name}: prefix of {length} bytes");
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_MultiSegment_SameResult(string name, object packet, string hex)
    {
        _ = packet;
        var bytes = Hex(hex);
        Assert.True(bytes.AsSpan().SequenceEqual(Encode(DecodeOne(OneBytePerSegment(bytes)))), name);
        for (var cut = 1; cut < bytes.Length; cut++)
            Assert.True(bytes.AsSpan().SequenceEqual(Encode(DecodeOne(Split(bytes, cut, cut + 3)))), $"{name} cut at {cut}");
    }

    [Fact]
    public void Decode_ConnectWithWillAndCredentials_ExposesEveryField()
    {
        var c = Assert.IsType<ConnectPacket>(DecodeOne(Hex("10 1E 0004 4D515454 04 EE 003C 0002 6331 0003 772F74 0003 627965 0001 75 0001 70")));
        Assert.Equal(("c1", true, (ushort)60, "u"), (c.ClientId, c.CleanSession, c.KeepAliveSeconds, c.Username));
        Assert.Equal("p", Encoding.UTF8.GetString(c.Password!.Value.Span));
        Assert.Equal(("w/t", MqttQos.AtLeastOnce, true), (c.Will!.Topic, c.Will.Qos, c.Will.Retain));
        Assert.Equal("bye", Encoding.UTF8.GetString(c.Will.Payload.Span));
    }

    [Fact]
    public void Decode_PublishQos1DupRetain_ExposesFlags()
    {
        var p = Assert.IsType<PublishPacket>(DecodeOne(Hex("3B 09 0003 612F62 000A 6869")));
        Assert.Equal(("a/b", MqttQos.AtLeastOnce, true, true, (ushort)10), (p.Topic, p.Qos, p.Retain, p.Duplicate, p.PacketId));
        Assert.Equal("hi", Encoding.UTF8.GetString(p.Payload.Span));
    }

    [Theory]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    public void RemainingLength_EdgeValues_EncodeAndDecode(int remaining, string varintHex)
    {
        // PUBLISH QoS 0 to topic "t": 3 bytes of topic, the rest payload.
        var bytes = Encode(new PublishPacket("t", new byte[remaining - 3]));
        var varint = Hex(varintHex);
        Assert.Equal(0x30, bytes[0]);
        Assert.True(varint.AsSpan().SequenceEqual(bytes.AsSpan(1, varint.Length)));
        Assert.Equal(1 + varint.Length + remaining, bytes.Length);
        var decoded = Assert.IsType<PublishPacket>(DecodeOne(bytes));
        Assert.Equal(remaining - 3, decoded.Payload.Length);
        Assert.False(TryDecode(new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1)).Ok);
    }

    [Fact]
    public void Decode_TwoPacketsInOneBuffer_ReadsBothInOrder()
    {
        var bytes = Hex("40 02 0001 D0 00 40 02");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));
        var decoder = new MqttPacketReader(1024);
        Assert.True(decoder.TryRead(ref reader, out var first));
        Assert.True(decoder.TryRead(ref reader, out var second));
        Assert.False(decoder.TryRead(ref reader, out _));
        Assert.Equal((MqttPacketType.PubAck, MqttPacketType.PingResp), (first.Type, second.Type));
        Assert.Equal(6, reader.Consumed);
    }

    [Fact]
    public void PublishPacketIdOffset_PointsAtTheIdentifier()
    {
        var bytes = Encode(new PublishPacket(new string('x', 200), Hi, MqttQos.AtLeastOnce, PacketId: 0xBEEF));
        var offset = MqttPacketWriter.PublishPacketIdOffset(bytes);
        Assert.Equal((0xBE, 0xEF), (bytes[offset], bytes[offset + 1]));
    }
}
