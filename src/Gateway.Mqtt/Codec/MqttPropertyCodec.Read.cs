using System.Buffers;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

internal static partial class MqttPropertyCodec
{
    private static void ReadOne(ref SequenceReader<byte> r, MqttPropertyId id, MqttProperties p, MqttPacketType packet)
    {
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator: p.PayloadFormatIndicator = Once(p.PayloadFormatIndicator, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.MessageExpiryInterval: p.MessageExpiryInterval = Once(p.MessageExpiryInterval, U32(ref r, id), id, packet); break;
            case MqttPropertyId.ContentType: p.ContentType = Once(p.ContentType, Text(ref r, id), id, packet); break;
            case MqttPropertyId.ResponseTopic:
                var topic = Text(ref r, id);
                // [MQTT-3.3.2-14]: the Response Topic is a topic name, so no wildcards.
                if (MqttTopic.NameError(topic) is { } error) throw new MqttProtocolException($"The Response Topic {error}.");
                p.ResponseTopic = Once(p.ResponseTopic, topic, id, packet);
                break;
            case MqttPropertyId.CorrelationData: p.CorrelationData = Once(p.CorrelationData, Binary(ref r, id), id, packet); break;
            case MqttPropertyId.SubscriptionIdentifier:
                var sid = ReadVbi(ref r, "Subscription Identifier");
                // [MQTT-3.8.2-1]: 0 is a protocol error. Several may appear in PUBLISH, one in SUBSCRIBE.
                if (sid == 0) throw new MqttProtocolException("A Subscription Identifier is 0 [MQTT-3.8.2-1].");
                if (packet == MqttPacketType.Subscribe && p.SubscriptionIdentifiers is not null) Duplicate(id, packet);
                (p.SubscriptionIdentifiers ??= []).Add(sid);
                break;
            case MqttPropertyId.SessionExpiryInterval: p.SessionExpiryInterval = Once(p.SessionExpiryInterval, U32(ref r, id), id, packet); break;
            case MqttPropertyId.AssignedClientIdentifier: p.AssignedClientIdentifier = Once(p.AssignedClientIdentifier, Text(ref r, id), id, packet); break;
            case MqttPropertyId.ServerKeepAlive: p.ServerKeepAlive = Once(p.ServerKeepAlive, U16(ref r, id), id, packet); break;
            case MqttPropertyId.AuthenticationMethod: p.AuthenticationMethod = Once(p.AuthenticationMethod, Text(ref r, id), id, packet); break;
            case MqttPropertyId.AuthenticationData: p.AuthenticationData = Once(p.AuthenticationData, Binary(ref r, id), id, packet); break;
            case MqttPropertyId.RequestProblemInformation: p.RequestProblemInformation = Once(p.RequestProblemInformation, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.WillDelayInterval: p.WillDelayInterval = Once(p.WillDelayInterval, U32(ref r, id), id, packet); break;
            case MqttPropertyId.RequestResponseInformation: p.RequestResponseInformation = Once(p.RequestResponseInformation, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.ResponseInformation: p.ResponseInformation = Once(p.ResponseInformation, Text(ref r, id), id, packet); break;
            case MqttPropertyId.ServerReference: p.ServerReference = Once(p.ServerReference, Text(ref r, id), id, packet); break;
            case MqttPropertyId.ReasonString: p.ReasonString = Once(p.ReasonString, Text(ref r, id), id, packet); break;
            case MqttPropertyId.ReceiveMaximum: p.ReceiveMaximum = Once(p.ReceiveMaximum, NonZero16(ref r, id, "(sections 3.1.2.11.3, 3.2.2.3.3)"), id, packet); break;
            case MqttPropertyId.TopicAliasMaximum: p.TopicAliasMaximum = Once(p.TopicAliasMaximum, U16(ref r, id), id, packet); break;
            case MqttPropertyId.TopicAlias: p.TopicAlias = Once(p.TopicAlias, NonZero16(ref r, id, "[MQTT-3.3.2-8]"), id, packet); break;
            case MqttPropertyId.MaximumQos: p.MaximumQos = Once(p.MaximumQos, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.RetainAvailable: p.RetainAvailable = Once(p.RetainAvailable, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.UserProperty:
                var name = Text(ref r, id);
                (p.UserProperties ??= []).Add(new MqttUserProperty(name, Text(ref r, id)));
                break;
            case MqttPropertyId.MaximumPacketSize:
                var max = U32(ref r, id);
                // Section 3.1.2.11.4 / 3.2.2.3.6: zero is a protocol error.
                if (max == 0) throw new MqttProtocolException("Maximum Packet Size is 0 (section 3.2.2.3.6).");
                p.MaximumPacketSize = Once(p.MaximumPacketSize, max, id, packet);
                break;
            case MqttPropertyId.WildcardSubscriptionAvailable: p.WildcardSubscriptionAvailable = Once(p.WildcardSubscriptionAvailable, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.SubscriptionIdentifierAvailable: p.SubscriptionIdentifierAvailable = Once(p.SubscriptionIdentifierAvailable, Flag(ref r, id), id, packet); break;
            case MqttPropertyId.SharedSubscriptionAvailable: p.SharedSubscriptionAvailable = Once(p.SharedSubscriptionAvailable, Flag(ref r, id), id, packet); break;
            default: throw new MqttProtocolException($"Property 0x{(byte)id:X2} does not exist (MQTT 5.0 table 2-4).");
        }
    }

    /// <summary>Table 2-4: which packets may carry each property (bit n = packet type n; bit 0 = will properties).</summary>
    private static bool Allowed(MqttPropertyId id, MqttPacketType packet)
    {
        const int Will = 1 << 0, Connect = 1 << 1, ConnAck = 1 << 2, Publish = 1 << 3, PubAck = 1 << 4, PubRec = 1 << 5,
            PubRel = 1 << 6, PubComp = 1 << 7, Subscribe = 1 << 8, SubAck = 1 << 9, Unsubscribe = 1 << 10, UnsubAck = 1 << 11,
            Disconnect = 1 << 14, Auth = 1 << 15;
        var mask = id switch
        {
            MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType
                or MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData => Publish | Will,
            MqttPropertyId.SubscriptionIdentifier => Publish | Subscribe,
            MqttPropertyId.SessionExpiryInterval => Connect | ConnAck | Disconnect,
            MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation
                or MqttPropertyId.MaximumQos or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable
                or MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => ConnAck,
            MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData => Connect | ConnAck | Auth,
            MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation => Connect,
            MqttPropertyId.WillDelayInterval => Will,
            MqttPropertyId.ServerReference => ConnAck | Disconnect,
            MqttPropertyId.ReasonString => ConnAck | PubAck | PubRec | PubRel | PubComp | SubAck | UnsubAck | Disconnect | Auth,
            MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.MaximumPacketSize => Connect | ConnAck,
            MqttPropertyId.TopicAlias => Publish,
            MqttPropertyId.UserProperty => Will | Connect | ConnAck | Publish | PubAck | PubRec | PubRel | PubComp | Subscribe
                | SubAck | Unsubscribe | UnsubAck | Disconnect | Auth,
            _ => 0,
        };
        return (mask & (1 << (int)packet)) != 0;
    }

    private static T Once<T>(T? current, T value, MqttPropertyId id, MqttPacketType packet)
    {
        // [MQTT-2.2.2-2] and each property's statement: including a property more than once is a protocol error.
        if (current is not null) Duplicate(id, packet);
        return value;
    }

    private static void Duplicate(MqttPropertyId id, MqttPacketType packet) =>
        throw new MqttProtocolException($"Property {id} appears more than once in a {Name(packet)}; that is a protocol error (section 2.2.2.2).");

    private static byte Flag(ref SequenceReader<byte> r, MqttPropertyId id)
    {
        var b = MqttBodyParser.ReadByte(ref r, id.ToString());
        // The boolean-like byte properties are 0 or 1; anything else is a protocol error (table 2-4 value ranges).
        if (b > 1) throw new MqttProtocolException($"Property {id} has value {b}; only 0 and 1 are allowed.");
        return b;
    }

    private static ushort U16(ref SequenceReader<byte> r, MqttPropertyId id) => MqttBodyParser.ReadUInt16(ref r, id.ToString());

    private static ushort NonZero16(ref SequenceReader<byte> r, MqttPropertyId id, string rule)
    {
        var v = U16(ref r, id);
        if (v == 0) throw new MqttProtocolException($"Property {id} is 0, which is a protocol error {rule}.");
        return v;
    }

    private static uint U32(ref SequenceReader<byte> r, MqttPropertyId id)
    {
        if (!r.TryReadBigEndian(out int raw)) throw new MqttProtocolException($"The packet ends inside property {id}.");
        return (uint)raw;
    }

    private static string Text(ref SequenceReader<byte> r, MqttPropertyId id) => MqttBodyParser.ReadString(ref r, $"property {id}");

    private static ReadOnlyMemory<byte> Binary(ref SequenceReader<byte> r, MqttPropertyId id) => MqttBodyParser.ReadSlice(ref r, $"property {id}").ToArray();

    /// <summary>A Variable Byte Integer inside a body whose bytes are all present (section 1.5.5).</summary>
    internal static int ReadVbi(ref SequenceReader<byte> r, string field)
    {
        var value = 0;
        for (var i = 0; i < VariableByteInteger.MaxBytes; i++)
        {
            if (!r.TryRead(out var b)) throw new MqttProtocolException($"The packet ends inside its {field}.");
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) return value;
        }
        throw new MqttProtocolException($"The {field} uses more than 4 bytes (section 1.5.5).");
    }
}
