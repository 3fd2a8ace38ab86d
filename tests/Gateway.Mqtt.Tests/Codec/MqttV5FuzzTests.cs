using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Mqtt.Codec;
using Gateway.Mqtt.Packets;
using static Gateway.Mqtt.Tests.Codec.CodecTestHelpers;

namespace Gateway.Mqtt.Tests.Codec;

/// <summary>
/// MQTT 5.0 random and mutated packets: random well-formed packets round-trip byte for byte; random bytes and mutated
/// golden packets give packets, "need more bytes" or MqttProtocolException, nothing else, and never hang (each
/// successful read consumes at least two bytes; the packet size bound caps what is buffered).
/// </summary>
public class MqttV5FuzzTests
{
    private static readonly byte[][] Seeds = MqttV5GoldenTests.Golden.Select(row => Hex((string)row[2])).ToArray();

    private static readonly Gen<string> Text = Gen.Elements("", "a", "k", "fleet/cp1", "é", "\u4e2d\u6587", "x y");
    private static readonly Gen<string> TopicName = Gen.Elements("a", "a/b", "fleet/cp1/telemetry", "é/ü", "/");

    private static Gen<T?> Maybe<T>(Gen<T> gen) where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static Gen<T?> MaybeRef<T>(Gen<T> gen) where T : class =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(v => (T?)v)));

    private static readonly Gen<MqttProperties?> PublishProperties =
        from format in Maybe(Gen.Choose(0, 1).Select(b => (byte)b))
        from expiry in Maybe(Gen.Choose(0, int.MaxValue).Select(v => (uint)v))
        from contentType in MaybeRef(Text)
        from responseTopic in MaybeRef(TopicName)
        from correlation in MaybeRef(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf())
        from alias in Maybe(Gen.Choose(1, 65535).Select(v => (ushort)v))
        from users in Gen.Choose(0, 3)
        from names in Text.ArrayOf(users)
        select (MqttProperties?)new MqttProperties
        {
            PayloadFormatIndicator = format,
            MessageExpiryInterval = expiry,
            ContentType = contentType,
            ResponseTopic = responseTopic,
            CorrelationData = correlation is null ? null : correlation,
            TopicAlias = alias,
            UserProperties = users == 0 ? null : [.. names.Select(n => new MqttUserProperty(n, n + "v"))],
        };

    private static readonly Gen<MqttPacket> Publish =
        from topic in TopicName
        from payload in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
        from qos in Gen.Elements(MqttQos.AtMostOnce, MqttQos.AtLeastOnce, MqttQos.ExactlyOnce)
        from retain in Gen.Elements(true, false)
        from id in Gen.Choose(1, 65535)
        from properties in PublishProperties
        select (MqttPacket)new PublishPacket(topic, payload, qos, retain, qos != MqttQos.AtMostOnce && retain, qos == MqttQos.AtMostOnce ? (ushort)0 : (ushort)id)
        {
            Properties = properties,
        };

    private static readonly Gen<MqttPacket> Ack =
        from kind in Gen.Elements(MqttPacketType.PubAck, MqttPacketType.PubRec, MqttPacketType.PubRel, MqttPacketType.PubComp)
        from id in Gen.Choose(1, 65535)
        from pubAckCode in Gen.Elements<byte>(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99)
        from relCode in Gen.Elements<byte>(0x00, 0x92)
        from reason in MaybeRef(Text)
        select (MqttPacket)new PacketIdOnlyPacket(kind, (ushort)id)
        {
            ReasonCode = (MqttReasonCode)(kind is MqttPacketType.PubRel or MqttPacketType.PubComp ? relCode : pubAckCode),
            Properties = reason is null ? null : new MqttProperties { ReasonString = reason },
        };

    private static readonly Gen<MqttPacket> Disconnect =
        from code in Gen.Elements<byte>(0x00, 0x04, 0x80, 0x81, 0x82, 0x87, 0x89, 0x8B, 0x8D, 0x8E, 0x93, 0x95, 0x9C, 0xA2)
        from expiry in Maybe(Gen.Choose(0, int.MaxValue).Select(v => (uint)v))
        from reason in MaybeRef(Text)
        select (MqttPacket)new DisconnectPacket((MqttReasonCode)code,
            expiry is null && reason is null ? null : new MqttProperties { SessionExpiryInterval = expiry, ReasonString = reason });

    [Fact]
    public void RandomPackets5_EncodeDecodeEncode_SameBytes()
    {
        var packets = Gen.OneOf(Publish, Ack, Disconnect);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Arb.From(packets), packet =>
        {
            var bytes = MqttV5GoldenTests.Encode5(packet);
            var (ok, consumed, decoded) = MqttV5GoldenTests.Decode5(Split(bytes, bytes.Length / 2));
            return ok && consumed == bytes.Length && bytes.AsSpan().SequenceEqual(MqttV5GoldenTests.Encode5(decoded!));
        }));
    }

    [Fact]
    public void Decode5_RandomBytes_OnlyProtocolExceptionOrProgress()
    {
        var bytes = Gen.Choose(0, 255).Select(b => (byte)b).ListOf().Select(l => l.ToArray());
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), Prop.ForAll(Arb.From(bytes), input => DecodeAll(input, 1024)));
    }

    [Fact]
    public void Decode5_MutatedGoldenPackets_OnlyProtocolExceptionOrProgress()
    {
        var random = new Random(20261121);
        for (var i = 0; i < 20_000; i++)
        {
            var input = (byte[])Seeds[random.Next(Seeds.Length)].Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) input[random.Next(input.Length)] = (byte)random.Next(256);
            Assert.True(DecodeAll(input, 128));
            Assert.True(DecodeAll(input[..random.Next(input.Length + 1)], 128));
        }
    }

    /// <summary>Decodes 5.0 packets until more bytes are needed; true unless something other than MqttProtocolException escapes.</summary>
    private static bool DecodeAll(byte[] input, int maxPacketSize)
    {
        var decoder = new MqttPacketReader(maxPacketSize, MqttProtocolVersion.V500);
        var reader = new SequenceReader<byte>(Split(input, input.Length / 3, input.Length / 2));
        try
        {
            while (decoder.TryRead(ref reader, out var packet))
            {
                // What decodes is well-formed data: it must encode again. A PUBLISH whose alias stands for its topic
                // has an empty topic, which only the session may send (it encodes through WritePublish with omitTopic).
                if (packet is PublishPacket { Topic: "" }) continue;
                MqttV5GoldenTests.Encode5(packet);
            }
            return true;
        }
        catch (MqttProtocolException)
        {
            return true;
        }
    }
}
