using System.Buffers;
using Gateway.Mqtt.Codec;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

/// <summary>MQTT 5.0 malformed packets: each is a protocol error the decoder must refuse with MqttProtocolException.</summary>
public class MqttV5MalformedTests
{
    /// <summary>bytes (hex), a fragment of the expected message, why it is malformed.</summary>
    public static TheoryData<string, string, string> Malformed => new()
    {
        // Duplicate properties (section 2.2.2.2: only User Property and, in PUBLISH, Subscription Identifier may repeat).
        { "30 0E 0003 612F62 08 03 0001 74 03 0001 74", "more than once", "PUBLISH with Content Type twice" },
        { "20 09 00 00 06 21 0014 21 0014", "more than once", "CONNACK with Receive Maximum twice" },
        { "40 0C 000A 87 08 1F 0001 61 1F 0001 62", "more than once", "PUBACK with Reason String twice" },
        { "82 0D 0001 04 0B 05 0B 06 0003 612F23 01", "more than once", "SUBSCRIBE with two Subscription Identifiers [MQTT-3.8.2-1]" },
        // A property the packet may not carry (table 2-4).
        { "20 06 00 00 03 23 0001", "not allowed", "CONNACK with Topic Alias" },
        { "40 08 000A 00 04 03 0001 74", "not allowed", "PUBACK with Content Type" },
        { "30 0B 0003 612F62 03 21 0014 6869", "not allowed", "PUBLISH with Receive Maximum" },
        { "E0 07 00 05 18 00000005", "not allowed", "DISCONNECT with Will Delay Interval" },
        { "10 11 0004 4D515454 05 02 0000 03 23 0001 0001 63", "not allowed", "CONNECT with Topic Alias" },
        { "10 18 0004 4D515454 05 06 0000 00 0001 63 03 23 0001 0001 77 0001 78", "not allowed", "will properties with Topic Alias" },
        { "40 06 000A 00 02 05 00", "not allowed", "PUBACK with property 0x05, which does not exist" },
        // Bad property lengths.
        { "40 05 000A 00 09 1F", "exceeds", "property length beyond the packet" },
        { "40 09 000A 00 02 1F 0002 6E6F", "ends", "property length cuts a Reason String in half" },
        { "40 08 000A 00 FF FF FF FF 01", "more than 4 bytes", "property length as a 5-byte Variable Byte Integer" },
        { "30 0C 0003 612F62 04 03 0009 74 6869", "says 9 bytes", "Content Type longer than its property block" },
        // Reason codes the packet does not allow.
        { "40 03 000A 92", "not allowed", "PUBACK 0x92 (only PUBREL/PUBCOMP)" },
        { "50 03 000A 8F", "not allowed", "PUBREC 0x8F (table 3-5)" },
        { "62 03 000A 87", "not allowed", "PUBREL 0x87 (table 3-6)" },
        { "70 03 000A 10", "not allowed", "PUBCOMP 0x10 (table 3-7)" },
        { "20 03 00 05 00", "not a CONNACK reason code", "CONNACK 0x05 is a 3.1.1 return code, not a 5.0 reason code" },
        { "20 03 01 87 00", "session present", "refusing CONNACK with session present [MQTT-3.2.2-6]" },
        { "90 04 0001 00 03", "reserved", "SUBACK 0x03" },
        { "B0 04 0002 00 02", "not allowed", "UNSUBACK 0x02 (table 3-9)" },
        { "B0 03 0002 00", "no reason code", "UNSUBACK without any reason code" },
        { "E0 01 01", "not a DISCONNECT reason code", "DISCONNECT 0x01" },
        { "F0 01 01", "not allowed", "AUTH 0x01 (table 3-13)" },
        { "F1 00", "0000", "AUTH with flags" },
        // Property values out of range.
        { "30 0A 0003 612F62 02 0B 00 6869", "Subscription Identifier is 0", "Subscription Identifier 0 [MQTT-3.8.2-1]" },
        { "30 0B 0003 612F62 03 23 0000 6869", "is 0", "Topic Alias 0 [MQTT-3.3.2-8]" },
        { "30 0A 0003 612F62 02 01 02 6869", "only 0 and 1", "Payload Format Indicator 2" },
        { "20 08 00 00 05 27 00000000", "Maximum Packet Size is 0", "CONNACK Maximum Packet Size 0" },
        { "20 06 00 00 03 21 0000", "is 0", "CONNACK Receive Maximum 0" },
        { "30 0D 0003 612F62 05 08 0002 612B 6869", "Response Topic", "Response Topic with a wildcard [MQTT-3.3.2-14]" },
        { "30 10 0003 612F62 08 26 0001 6B 0002 C328 6869", "UTF-8", "User Property value with invalid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Decode_Malformed5_ThrowsProtocolException(string hex, string fragment, string why)
    {
        var bytes = Hex(hex);
        var ex = Assert.Throws<MqttProtocolException>(() => MqttV5GoldenTests.Decode5(new ReadOnlySequence<byte>(bytes)));
        Assert.True(ex.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase), $"{why}: \"{ex.Message}\" does not say \"{fragment}\"");
        // The same verdict when the bytes arrive one per segment.
        Assert.Throws<MqttProtocolException>(() => MqttV5GoldenTests.Decode5(OneBytePerSegment(bytes)));
    }

    [Fact]
    public void Decode_AuthIn311_IsReserved()
    {
        // 3.1.1 section 2.2.1: packet type 15 is reserved; only 5.0 defines AUTH.
        Assert.Throws<MqttProtocolException>(() => TryDecode(new ReadOnlySequence<byte>(Hex("F0 00"))));
    }

    [Fact]
    public void Decode_PropertyLengthOverMaxPacketSize_ThrowsBeforeTheBodyArrives()
    {
        // The remaining length (0x7F) says the packet is bigger than allowed: refused from the fixed header alone.
        var bytes = Hex("30 7F 0003 612F62");
        Assert.Throws<MqttProtocolException>(() => MqttV5GoldenTests.Decode5(new ReadOnlySequence<byte>(bytes), maxPacketSize: 64));
    }
}
