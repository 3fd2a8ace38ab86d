using System.Buffers;
using System.Buffers.Binary;
using Gateway.Mqtt.Packets;

namespace Gateway.Mqtt.Codec;

/// <summary>
/// MQTT 5.0 properties (section 2.2.2): a Variable Byte Integer length, then identifier/value pairs.
/// <code>
/// properties = length:vbi (identifier:vbi value)*     value per identifier: byte | u16 | u32 | vbi | string | binary | string pair
/// </code>
/// Reading enforces table 2-4 (which packet may carry which property), "at most once" for everything except User
/// Property and Subscription Identifier ([MQTT-2.2.2-2] and each property's own statement) and the value ranges the
/// spec calls a protocol error. The pseudo packet type <see cref="Will"/> stands for will properties (section 3.1.3.2).
/// </summary>
internal static partial class MqttPropertyCodec
{
    /// <summary>Stands for the will properties of CONNECT in the allowed-packets table.</summary>
    public const MqttPacketType Will = 0;

    /// <summary>Reads a property block; an empty block gives null (so absent and empty compare equal when re-encoded).</summary>
    public static MqttProperties? Read(ref SequenceReader<byte> body, MqttPacketType packet)
    {
        var length = ReadVbi(ref body, "property length");
        if (length == 0) return null;
        if (body.Remaining < length)
            throw new MqttProtocolException($"The {Name(packet)} property length {length} exceeds the {body.Remaining} bytes left in the packet.");
        var block = new SequenceReader<byte>(body.UnreadSequence.Slice(0, length));
        body.Advance(length);
        var p = new MqttProperties();
        while (!block.End)
        {
            var raw = ReadVbi(ref block, "property identifier");
            if (raw > byte.MaxValue || !Allowed((MqttPropertyId)raw, packet))
                throw new MqttProtocolException($"Property 0x{raw:X2} is not allowed in a {Name(packet)} (MQTT 5.0 table 2-4).");
            ReadOne(ref block, (MqttPropertyId)raw, p, packet);
        }
        return p;
    }

    /// <summary>Bytes of the property block including its length prefix.</summary>
    public static int Size(MqttProperties? p, ushort extraTopicAlias = 0)
    {
        var content = ContentSize(p) + (extraTopicAlias != 0 ? 3 : 0);
        return VariableByteInteger.Size(content) + content;
    }

    /// <summary>
    /// Writes the block (length prefix included); the properties must have passed <see cref="Validate"/>.
    /// <paramref name="extraTopicAlias"/> (non-zero) adds a Topic Alias without allocating a properties object, so the
    /// session can alias a pooled PUBLISH per connection ([MQTT-3.3.2-7]: aliases are per network connection).
    /// </summary>
    public static int Write(Span<byte> span, MqttProperties? p, ushort extraTopicAlias = 0)
    {
        var content = ContentSize(p) + (extraTopicAlias != 0 ? 3 : 0);
        var i = VariableByteInteger.Write(span, content);
        if (extraTopicAlias != 0) i += UShort(span[i..], MqttPropertyId.TopicAlias, extraTopicAlias);
        if (p is null) return i;
        i += Byte(span[i..], MqttPropertyId.PayloadFormatIndicator, p.PayloadFormatIndicator);
        i += UInt(span[i..], MqttPropertyId.MessageExpiryInterval, p.MessageExpiryInterval);
        i += Str(span[i..], MqttPropertyId.ContentType, p.ContentType);
        i += Str(span[i..], MqttPropertyId.ResponseTopic, p.ResponseTopic);
        i += Bin(span[i..], MqttPropertyId.CorrelationData, p.CorrelationData);
        if (p.SubscriptionIdentifiers is { } ids)
        {
            foreach (var id in ids)
            {
                span[i++] = (byte)MqttPropertyId.SubscriptionIdentifier;
                i += VariableByteInteger.Write(span[i..], id);
            }
        }
        i += UInt(span[i..], MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        i += Str(span[i..], MqttPropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier);
        i += UShort(span[i..], MqttPropertyId.ServerKeepAlive, p.ServerKeepAlive);
        i += Str(span[i..], MqttPropertyId.AuthenticationMethod, p.AuthenticationMethod);
        i += Bin(span[i..], MqttPropertyId.AuthenticationData, p.AuthenticationData);
        i += Byte(span[i..], MqttPropertyId.RequestProblemInformation, p.RequestProblemInformation);
        i += UInt(span[i..], MqttPropertyId.WillDelayInterval, p.WillDelayInterval);
        i += Byte(span[i..], MqttPropertyId.RequestResponseInformation, p.RequestResponseInformation);
        i += Str(span[i..], MqttPropertyId.ResponseInformation, p.ResponseInformation);
        i += Str(span[i..], MqttPropertyId.ServerReference, p.ServerReference);
        i += Str(span[i..], MqttPropertyId.ReasonString, p.ReasonString);
        i += UShort(span[i..], MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum);
        i += UShort(span[i..], MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
        i += UShort(span[i..], MqttPropertyId.TopicAlias, p.TopicAlias);
        i += Byte(span[i..], MqttPropertyId.MaximumQos, p.MaximumQos);
        i += Byte(span[i..], MqttPropertyId.RetainAvailable, p.RetainAvailable);
        if (p.UserProperties is { } users)
        {
            foreach (var u in users)
            {
                span[i++] = (byte)MqttPropertyId.UserProperty;
                i += MqttUtf8.Write(span[i..], u.Name);
                i += MqttUtf8.Write(span[i..], u.Value);
            }
        }
        i += UInt(span[i..], MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize);
        i += Byte(span[i..], MqttPropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable);
        i += Byte(span[i..], MqttPropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifierAvailable);
        i += Byte(span[i..], MqttPropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable);
        return i;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when a string is not valid MQTT UTF-8 or a value is out of range.</summary>
    public static void Validate(MqttProperties? p)
    {
        if (p is null) return;
        foreach (var s in new[] { p.ContentType, p.ResponseTopic, p.AssignedClientIdentifier, p.AuthenticationMethod, p.ResponseInformation, p.ServerReference, p.ReasonString })
        {
            if (s is not null && MqttUtf8.Error(s) is { } e) throw new ArgumentException($"A property string {e}.", nameof(p));
        }
        if (p.UserProperties is { } users)
        {
            foreach (var u in users)
            {
                if (MqttUtf8.Error(u.Name) is { } e1) throw new ArgumentException($"User property name {e1}.", nameof(p));
                if (MqttUtf8.Error(u.Value) is { } e2) throw new ArgumentException($"User property '{u.Name}' value {e2}.", nameof(p));
            }
        }
        if (p.CorrelationData is { Length: > MqttUtf8.MaxBytes } || p.AuthenticationData is { Length: > MqttUtf8.MaxBytes })
            throw new ArgumentException("Binary property data is longer than 65535 bytes (section 1.5.6).", nameof(p));
        if (p.SubscriptionIdentifiers is { } ids && ids.Any(id => id is < 1 or > VariableByteInteger.MaxValue))
            throw new ArgumentException("A subscription identifier must be 1-268435455 [MQTT-3.8.2-1].", nameof(p));
        if (p.ResponseTopic is not null) MqttTopic.ValidateTopicName(p.ResponseTopic, "ResponseTopic");
    }

    private static int ContentSize(MqttProperties? p)
    {
        if (p is null) return 0;
        var n = 0;
        if (p.PayloadFormatIndicator is not null) n += 2;
        if (p.MessageExpiryInterval is not null) n += 5;
        n += StrSize(p.ContentType) + StrSize(p.ResponseTopic) + BinSize(p.CorrelationData);
        if (p.SubscriptionIdentifiers is { } ids) foreach (var id in ids) n += 1 + VariableByteInteger.Size(id);
        if (p.SessionExpiryInterval is not null) n += 5;
        n += StrSize(p.AssignedClientIdentifier);
        if (p.ServerKeepAlive is not null) n += 3;
        n += StrSize(p.AuthenticationMethod) + BinSize(p.AuthenticationData);
        if (p.RequestProblemInformation is not null) n += 2;
        if (p.WillDelayInterval is not null) n += 5;
        if (p.RequestResponseInformation is not null) n += 2;
        n += StrSize(p.ResponseInformation) + StrSize(p.ServerReference) + StrSize(p.ReasonString);
        if (p.ReceiveMaximum is not null) n += 3;
        if (p.TopicAliasMaximum is not null) n += 3;
        if (p.TopicAlias is not null) n += 3;
        if (p.MaximumQos is not null) n += 2;
        if (p.RetainAvailable is not null) n += 2;
        if (p.UserProperties is { } users) foreach (var u in users) n += 1 + 2 + MqttUtf8.ByteCount(u.Name) + 2 + MqttUtf8.ByteCount(u.Value);
        if (p.MaximumPacketSize is not null) n += 5;
        if (p.WildcardSubscriptionAvailable is not null) n += 2;
        if (p.SubscriptionIdentifierAvailable is not null) n += 2;
        if (p.SharedSubscriptionAvailable is not null) n += 2;
        return n;
    }

    private static int StrSize(string? s) => s is null ? 0 : 1 + 2 + MqttUtf8.ByteCount(s);
    private static int BinSize(ReadOnlyMemory<byte>? b) => b is null ? 0 : 1 + 2 + b.Value.Length;

    private static int Byte(Span<byte> span, MqttPropertyId id, byte? value)
    {
        if (value is null) return 0;
        span[0] = (byte)id;
        span[1] = value.Value;
        return 2;
    }

    private static int UShort(Span<byte> span, MqttPropertyId id, ushort? value)
    {
        if (value is null) return 0;
        span[0] = (byte)id;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], value.Value);
        return 3;
    }

    private static int UInt(Span<byte> span, MqttPropertyId id, uint? value)
    {
        if (value is null) return 0;
        span[0] = (byte)id;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], value.Value);
        return 5;
    }

    private static int Str(Span<byte> span, MqttPropertyId id, string? value)
    {
        if (value is null) return 0;
        span[0] = (byte)id;
        return 1 + MqttUtf8.Write(span[1..], value);
    }

    private static int Bin(Span<byte> span, MqttPropertyId id, ReadOnlyMemory<byte>? value)
    {
        if (value is null) return 0;
        span[0] = (byte)id;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)value.Value.Length);
        value.Value.Span.CopyTo(span[3..]);
        return 3 + value.Value.Length;
    }

    internal static string Name(MqttPacketType packet) => packet == Will ? "will" : packet.ToString().ToUpperInvariant();
}
