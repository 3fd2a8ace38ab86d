using System.Buffers;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

public class MqttPacketMalformedTests
{
    [Theory]
    [InlineData("30 FF FF FF FF 7F", "remaining length of 5 bytes (section 2.2.3)")]
    [InlineData("30 FF FF FF FF", "4 bytes all with continuation bit")]
    [InlineData("41 02 00 01", "PUBACK with flags 0001 [MQTT-2.2.2-2]")]
    [InlineData("80 08 0001 0003 612F23 01", "SUBSCRIBE with flags 0000 [MQTT-3.8.1-1]")]
    [InlineData("A0 07 0002 0003 612F23", "UNSUBSCRIBE with flags 0000")]
    [InlineData("60 02 00 01", "PUBREL with flags 0000 [MQTT-3.6.1-1]")]
    [InlineData("C1 00", "PINGREQ with flags")]
    [InlineData("E8 00", "DISCONNECT with flags")]
    [InlineData("00 00", "reserved packet type 0")]
    [InlineData("F0 00", "reserved packet type 15")]
    [InlineData("36 07 0003 612F62 0001", "PUBLISH QoS 3 [MQTT-3.3.1-4]")]
    [InlineData("38 05 0003 612F62", "QoS 0 with DUP [MQTT-3.3.1-2]")]
    [InlineData("40 02 0000", "PUBACK packet id 0 [MQTT-2.3.1-1]")]
    [InlineData("32 07 0003 612F62 0000", "PUBLISH QoS1 packet id 0")]
    [InlineData("82 06 0000 0001 61 00", "SUBSCRIBE packet id 0")]
    [InlineData("30 05 0003 61FF62", "topic with invalid UTF-8 [MQTT-1.5.3-1]")]
    [InlineData("30 06 0004 61EDA080", "topic with an encoded surrogate [MQTT-1.5.3-1]")]
    [InlineData("30 05 0003 610062", "topic with U+0000 [MQTT-1.5.3-2]")]
    [InlineData("30 05 0003 612F23", "wildcard in a PUBLISH topic [MQTT-3.3.2-2]")]
    [InlineData("30 05 0003 612B62", "'+' in a PUBLISH topic")]
    [InlineData("30 02 0000", "empty topic [MQTT-4.7.3-1]")]
    [InlineData("30 04 0005 6162", "topic length beyond the packet")]
    [InlineData("30 01 00", "topic length truncated")]
    [InlineData("32 05 0003 612F62", "QoS1 PUBLISH without packet id")]
    [InlineData("10 04 0004 4D51", "CONNECT truncated inside the protocol name")]
    [InlineData("10 0D 0004 4D515458 04 02 0000 0001 63", "CONNECT protocol name MQTX [MQTT-3.1.2-1]")]
    [InlineData("10 0D 0004 4D515454 04 03 0000 0001 63", "CONNECT reserved flag [MQTT-3.1.2-3]")]
    [InlineData("10 0D 0004 4D515454 04 1E 0000 0001 63", "CONNECT will QoS 3 [MQTT-3.1.2-14]")]
    [InlineData("10 0D 0004 4D515454 04 2A 0000 0001 63", "CONNECT will retain without will [MQTT-3.1.2-15]")]
    [InlineData("10 0D 0004 4D515454 04 42 0000 0001 63", "CONNECT password without user [MQTT-3.1.2-22]")]
    [InlineData("10 0D 0004 4D515454 04 82 0000 0001 63", "CONNECT user flag without user name")]
    [InlineData("20 02 02 00", "CONNACK reserved ack flag")]
    [InlineData("20 02 00 06", "CONNACK reserved return code 6")]
    [InlineData("20 02 01 05", "refusing CONNACK with session present [MQTT-3.2.2-4]")]
    [InlineData("20 03 00 00 00", "CONNACK with a trailing byte")]
    [InlineData("20 01 00", "CONNACK too short")]
    [InlineData("40 03 0001 00", "PUBACK with a trailing byte")]
    [InlineData("40 01 01", "PUBACK too short")]
    [InlineData("D0 01 00", "PINGRESP with a body")]
    [InlineData("90 03 0001 03", "SUBACK return code 3 [MQTT-3.9.3-2]")]
    [InlineData("90 02 0001", "SUBACK without return codes")]
    [InlineData("82 02 0001", "SUBSCRIBE without filters [MQTT-3.8.3-3]")]
    [InlineData("82 08 0001 0003 612F23 03", "SUBSCRIBE requested QoS 3")]
    [InlineData("82 08 0001 0003 612F23 41", "SUBSCRIBE reserved QoS bits [MQTT-3-8.3-4]")]
    [InlineData("82 08 0001 0003 23 2F 61 01", "SUBSCRIBE filter with '#' not last [MQTT-4.7.1-2]")]
    [InlineData("82 07 0001 0003 612F 23", "SUBSCRIBE truncated before requested QoS")]
    [InlineData("A2 02 0002", "UNSUBSCRIBE without filters [MQTT-3.10.3-2]")]
    public void Decode_MalformedPacket_ThrowsProtocolException(string hex, string why)
    {
        var bytes = Hex(hex);
        var ex = Assert.Throws<MqttProtocolException>(() => TryDecode(new ReadOnlySequence<byte>(bytes)));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message), why);
        // The same verdict when the bytes arrive one per segment.
        Assert.Throws<MqttProtocolException>(() => TryDecode(OneBytePerSegment(bytes)));
    }

    [Fact]
    public void Decode_RemainingLengthBeyondMaxPacketSize_ThrowsBeforeBodyArrives()
    {
        // 1 + 2 + 128 = 131 bytes announced, bound 100; only the fixed header is present.
        var ex = Assert.Throws<MqttProtocolException>(() => TryDecode(new ReadOnlySequence<byte>(Hex("90 80 01")), maxPacketSize: 100));
        Assert.Contains("maximum packet size", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_PacketExactlyAtMaxPacketSize_IsAccepted()
    {
        var bytes = Encode(new PublishPacket("t", new byte[95]));
        Assert.Equal(100, bytes.Length);
        Assert.IsType<PublishPacket>(DecodeOne(bytes, maxPacketSize: 100));
    }

    [Theory]
    [InlineData("a/#")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Encode_PublishToInvalidTopicName_ThrowsArgumentException(string topic)
    {
        Assert.Throws<ArgumentException>(() => Encode(new PublishPacket(topic, ReadOnlyMemory<byte>.Empty)));
    }

    [Fact]
    public void Encode_PublishToTopicWithUnpairedSurrogate_ThrowsArgumentException()
    {
        // Built in code: xunit's test-case serialization would replace a lone surrogate in [InlineData].
        var topic = "a" + (char)0xD800 + "b";
        var ex = Assert.Throws<ArgumentException>(() => Encode(new PublishPacket(topic, ReadOnlyMemory<byte>.Empty)));
        Assert.Contains("surrogate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_PacketAboveMaxPacketSize_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Encode(new PublishPacket("t", new byte[200]), maxPacketSize: 100));
        Assert.Contains("MaxPacketSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_TopicLongerThan65535Bytes_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Encode(new PublishPacket(new string('a', 65_536), ReadOnlyMemory<byte>.Empty)));
        Assert.Equal(1 + 3 + 2 + 65_535, Encode(new PublishPacket(new string('a', 65_535), ReadOnlyMemory<byte>.Empty)).Length);
    }

    [Theory]
    [InlineData(MqttQos.AtLeastOnce, (ushort)0)]
    [InlineData(MqttQos.AtMostOnce, (ushort)5)]
    public void Encode_PublishWithWrongPacketId_ThrowsArgumentException(MqttQos qos, ushort id)
    {
        Assert.Throws<ArgumentException>(() => Encode(new PublishPacket("t", ReadOnlyMemory<byte>.Empty, qos, PacketId: id)));
    }
}
