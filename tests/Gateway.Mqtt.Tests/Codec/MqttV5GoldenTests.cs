using System.Buffers;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

/// <summary>
/// MQTT 5.0 golden bytes written by hand from the 5.0 specification: every packet type with properties (section 2.2.2,
/// table 2-4 for which property goes where; property identifiers from table 2-4: 0x01 payload format, 0x02 expiry, 0x03
/// content type, 0x08 response topic, 0x09 correlation data, 0x0B subscription id, 0x11 session expiry, 0x12 assigned
/// client id, 0x15/0x16 authentication, 0x18 will delay, 0x1C server reference, 0x1F reason string, 0x21 receive
/// maximum, 0x22 topic alias maximum, 0x23 topic alias, 0x26 user property, 0x27 maximum packet size).
/// </summary>
public class MqttV5GoldenTests
{
    private static readonly byte[] Hi = "hi"u8.ToArray();
    private static readonly MqttUserProperty KV = new("k", "v");

    /// <summary>name, packet, bytes (hex).</summary>
    public static TheoryData<string, object, string> Golden => new()
    {
        // 3.1.2: level 5, flags will QoS 1 (08) will (04) clean start (02); properties session expiry 300, receive
        // maximum 20; payload: client id, will properties (will delay 5 s, 3.1.3.2.2), will topic, will payload.
        { "CONNECT with properties and will delay", new ConnectPacket("c", true, 60, Will: new MqttWill("w", "x"u8.ToArray(), MqttQos.AtLeastOnce, false), ProtocolLevel: ConnectPacket.ProtocolLevel500)
          { Properties = new() { SessionExpiryInterval = 300, ReceiveMaximum = 20 }, WillProperties = new() { WillDelayInterval = 5 } },
          "10 22 0004 4D515454 05 0E 003C 08 11 0000012C 21 0014 0001 63 05 18 00000005 0001 77 0001 78" },
        { "CONNECT 5.0 minimal (empty property block)", new ConnectPacket("c", true, 0, ProtocolLevel: ConnectPacket.ProtocolLevel500),
          "10 0E 0004 4D515454 05 02 0000 00 0001 63" },
        // 3.2.2.3: assigned client id, receive maximum, topic alias maximum, maximum packet size.
        { "CONNACK with broker limits", new ConnAckPacket(false, ConnectReturnCode.Accepted)
          { Properties = new() { AssignedClientIdentifier = "a", ReceiveMaximum = 20, TopicAliasMaximum = 10, MaximumPacketSize = 1024 } },
          "20 12 00 00 0F 12 0001 61 21 0014 22 000A 27 00000400" },
        { "CONNACK 0x87 not authorized with reason string", new ConnAckPacket(false, (ConnectReturnCode)0x87) { Properties = new() { ReasonString = "no" } },
          "20 08 00 87 05 1F 0002 6E6F" },
        { "CONNACK session present, no properties", new ConnAckPacket(true, ConnectReturnCode.Accepted), "20 03 01 00 00" },
        // 3.3.2.3: every application property of a PUBLISH.
        { "PUBLISH QoS 1 with message properties", new PublishPacket("a/b", Hi, MqttQos.AtLeastOnce, PacketId: 1)
          { Properties = new() { PayloadFormatIndicator = 1, MessageExpiryInterval = 60, ContentType = "t", ResponseTopic = "r", CorrelationData = new byte[] { 0xC0 }, UserProperties = [KV] } },
          "32 24 0003 612F62 0001 1A 01 01 02 0000003C 03 0001 74 08 0001 72 09 0001 C0 26 0001 6B 0001 76 6869" },
        { "PUBLISH QoS 0 empty property block", new PublishPacket("a/b", Hi), "30 08 0003 612F62 00 6869" },
        { "PUBLISH with topic alias", new PublishPacket("a/b", Hi) { Properties = new() { TopicAlias = 1 } }, "30 0B 0003 612F62 03 23 0001 6869" },
        // 3.3.2.3.8: the broker adds one Subscription Identifier per matching subscription (200 = VBI C8 01).
        { "PUBLISH with two subscription identifiers", new PublishPacket("a/b", Hi) { Properties = new() { SubscriptionIdentifiers = [1, 200] } },
          "30 0D 0003 612F62 05 0B 01 0B C801 6869" },
        { "PUBLISH QoS 2 DUP retain", new PublishPacket("a/b", Hi, MqttQos.ExactlyOnce, true, true, 7), "3D 0A 0003 612F62 0007 00 6869" },
        // 3.4.2.1: the reason code and property length may be omitted for 0x00 without properties.
        { "PUBACK success short form", new PacketIdOnlyPacket(MqttPacketType.PubAck, 10), "40 02 000A" },
        { "PUBACK 0x10 no matching subscribers", new PacketIdOnlyPacket(MqttPacketType.PubAck, 10) { ReasonCode = (MqttReasonCode)0x10 }, "40 03 000A 10" },
        { "PUBACK 0x95 from mosquitto 2.0 above message_size_limit", new PacketIdOnlyPacket(MqttPacketType.PubAck, 10) { ReasonCode = MqttReasonCode.PacketTooLarge }, "40 03 000A 95" },
        { "PUBREC 0x95 from mosquitto 2.0 above message_size_limit", new PacketIdOnlyPacket(MqttPacketType.PubRec, 10) { ReasonCode = MqttReasonCode.PacketTooLarge }, "50 03 000A 95" },
        { "PUBACK 0x87 not authorized with reason string", new PacketIdOnlyPacket(MqttPacketType.PubAck, 10) { ReasonCode = (MqttReasonCode)0x87, Properties = new() { ReasonString = "no" } },
          "40 09 000A 87 05 1F 0002 6E6F" },
        { "PUBREC 0x80 unspecified error", new PacketIdOnlyPacket(MqttPacketType.PubRec, 10) { ReasonCode = (MqttReasonCode)0x80 }, "50 03 000A 80" },
        { "PUBREL 0x92 packet identifier not found", new PacketIdOnlyPacket(MqttPacketType.PubRel, 10) { ReasonCode = (MqttReasonCode)0x92 }, "62 03 000A 92" },
        { "PUBCOMP with user property", new PacketIdOnlyPacket(MqttPacketType.PubComp, 10) { Properties = new() { UserProperties = [KV] } },
          "70 0B 000A 00 07 26 0001 6B 0001 76" },
        // 3.8.3.1: options byte = retain handling 2 (bits 5-4) | retain as published (08) | no local (04) | QoS 1.
        { "SUBSCRIBE with options and subscription identifier", new SubscribePacket(1, [new("a/#", MqttQos.AtLeastOnce) { NoLocal = true, RetainAsPublished = true, RetainHandling = (MqttRetainHandling)2 }])
          { Properties = new() { SubscriptionIdentifiers = [5] } },
          "82 0B 0001 02 0B 05 0003 612F23 2D" },
        { "SUBACK granted QoS 1 and 0x87 with reason string", new SubAckPacket(1, [0x01, 0x87]) { Properties = new() { ReasonString = "no" } },
          "90 0A 0001 05 1F 0002 6E6F 01 87" },
        { "SUBACK without properties", new SubAckPacket(1, [0x00, 0x02]), "90 05 0001 00 00 02" },
        { "UNSUBSCRIBE with user property", new UnsubscribePacket(2, ["a/#"]) { Properties = new() { UserProperties = [KV] } },
          "A2 0F 0002 07 26 0001 6B 0001 76 0003 612F23" },
        // 3.11.3: one reason code per filter: 0x00 success, 0x11 no subscription existed.
        { "UNSUBACK two reason codes", new PacketIdOnlyPacket(MqttPacketType.UnsubAck, 2) { ReasonCodes = [MqttReasonCode.Success, (MqttReasonCode)0x11] },
          "B0 05 0002 00 00 11" },
        { "PINGREQ", EmptyPacket.PingReq, "C0 00" },
        { "PINGRESP", EmptyPacket.PingResp, "D0 00" },
        // 3.14.2.1: remaining length 0 means normal disconnection without properties.
        { "DISCONNECT normal", new DisconnectPacket(MqttReasonCode.Success), "E0 00" },
        { "DISCONNECT session expiry 0", new DisconnectPacket(MqttReasonCode.Success, new() { SessionExpiryInterval = 0 }), "E0 07 00 05 11 00000000" },
        { "DISCONNECT 0x9C use another server", new DisconnectPacket((MqttReasonCode)0x9C, new() { ServerReference = "s" }), "E0 06 9C 04 1C 0001 73" },
        // 3.15.2: 0x18 continue authentication with method and data.
        { "AUTH continue", new AuthPacket((MqttReasonCode)0x18, new() { AuthenticationMethod = "m", AuthenticationData = new byte[] { 1 } }),
          "F0 0A 18 08 15 0001 6D 16 0001 01" },
    };

    internal static byte[] Encode5(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(writer, packet, int.MaxValue, MqttProtocolVersion.V500);
        return writer.WrittenSpan.ToArray();
    }

    internal static (bool Ok, long Consumed, MqttPacket? Packet) Decode5(ReadOnlySequence<byte> bytes, int maxPacketSize = int.MaxValue)
    {
        var reader = new SequenceReader<byte>(bytes);
        var ok = new MqttPacketReader(maxPacketSize, MqttProtocolVersion.V500).TryRead(ref reader, out var packet);
        return (ok, reader.Consumed, packet);
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Encode_Packet_WritesGoldenBytes(string name, object packet, string hex)
    {
        Assert.Equal(Convert.ToHexString(Hex(hex)), Convert.ToHexString(Encode5((MqttPacket)packet)));
        Assert.NotEmpty(name);
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_GoldenBytes_SamePacketAndSameBytes(string name, object packet, string hex)
    {
        var bytes = Hex(hex);
        var (ok, consumed, decoded) = Decode5(new ReadOnlySequence<byte>(bytes));
        Assert.True(ok, name);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(((MqttPacket)packet).Type, decoded!.Type);
        Assert.True(SameProperties((MqttPacket)packet, decoded), $"{name}: the decoded properties differ");
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(Encode5(decoded)));
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_EveryPrefix_ReturnsFalseAndConsumesNothing(string name, object packet, string hex)
    {
        _ = packet;
        var bytes = Hex(hex);
        for (var length = 0; length < bytes.Length; length++)
        {
            var (ok, consumed, _) = Decode5(new ReadOnlySequence<byte>(bytes, 0, length));
            Assert.False(ok, $"{name}: prefix of {length} bytes decoded");
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Decode_SplitAnywhere_SameBytes(string name, object packet, string hex)
    {
        _ = packet;
        var bytes = Hex(hex);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var (ok, _, decoded) = Decode5(Split(bytes, cut, cut + 2));
            Assert.True(ok, $"{name}: split at {cut}");
            Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(Encode5(decoded!)));
        }
        var (allOk, _, single) = Decode5(OneBytePerSegment(bytes));
        Assert.True(allOk, name);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(Encode5(single!)));
    }

    [Fact]
    public void Decode_PublishWithAliasAndEmptyTopic_KeepsTheAlias()
    {
        // 3.3.2.3.4: after the first PUBLISH, the alias alone stands for the topic (zero-length topic name).
        var (ok, _, packet) = Decode5(new ReadOnlySequence<byte>(Hex("30 08 0000 03 23 0001 6869")));
        Assert.True(ok);
        var publish = Assert.IsType<PublishPacket>(packet);
        Assert.Equal("", publish.Topic);
        Assert.Equal((ushort)1, publish.Properties!.TopicAlias);
    }

    [Fact]
    public void Decode_ConnectWithWillProperties_ExposesThem()
    {
        var (ok, _, packet) = Decode5(new ReadOnlySequence<byte>(Hex("10 22 0004 4D515454 05 0E 003C 08 11 0000012C 21 0014 0001 63 05 18 00000005 0001 77 0001 78")));
        Assert.True(ok);
        var connect = Assert.IsType<ConnectPacket>(packet);
        Assert.Equal(ConnectPacket.ProtocolLevel500, connect.ProtocolLevel);
        Assert.Equal(300u, connect.Properties!.SessionExpiryInterval);
        Assert.Equal((ushort)20, connect.Properties.ReceiveMaximum);
        Assert.Equal(5u, connect.WillProperties!.WillDelayInterval);
        Assert.Equal("w", connect.Will!.Topic);
    }

    private static bool SameProperties(MqttPacket expected, MqttPacket actual)
    {
        var (a, b) = (PropertiesOf(expected), PropertiesOf(actual));
        // An empty property block decodes as null (MqttPropertyCodec.Read), which encodes the same bytes.
        return a is null ? b is null : a.ContentEquals(b);
    }

    private static MqttProperties? PropertiesOf(MqttPacket packet) => packet switch
    {
        ConnectPacket c => c.Properties,
        ConnAckPacket c => c.Properties,
        PublishPacket p => p.Properties,
        PacketIdOnlyPacket p => p.Properties,
        SubscribePacket s => s.Properties,
        SubAckPacket s => s.Properties,
        UnsubscribePacket u => u.Properties,
        DisconnectPacket d => d.Properties,
        AuthPacket a => a.Properties,
        _ => null,
    };
}
