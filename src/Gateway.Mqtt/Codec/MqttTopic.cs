namespace Gateway.Mqtt.Codec;

/// <summary>
/// Topic name and topic filter rules (MQTT 3.1.1 section 4.7). The public API throws <see cref="ArgumentException"/>
/// from these; the decoder turns the same errors into <see cref="MqttProtocolException"/>.
/// </summary>
internal static class MqttTopic
{
    public static void ValidateTopicName(string topic, string paramName)
    {
        if (NameError(topic) is { } error) throw new ArgumentException($"Topic name '{topic}' {error}.", paramName);
    }

    public static void ValidateTopicFilter(string filter, string paramName)
    {
        if (FilterError(filter) is { } error) throw new ArgumentException($"Topic filter '{filter}' {error}.", paramName);
    }

    /// <summary>Why <paramref name="topic"/> is not a valid topic name for PUBLISH, or null.</summary>
    public static string? NameError(string? topic)
    {
        if (CommonError(topic) is { } error) return error;
        // [MQTT-3.3.2-2], [MQTT-4.7.1-1]: wildcards are for filters only, never in a published topic name.
        if (topic!.AsSpan().IndexOfAny('+', '#') >= 0)
            return "contains a wildcard ('+' or '#'); publish to a concrete topic [MQTT-3.3.2-2]";
        return null;
    }

    /// <summary>Why <paramref name="filter"/> is not a valid topic filter for SUBSCRIBE/UNSUBSCRIBE, or null.</summary>
    public static string? FilterError(string? filter)
    {
        if (CommonError(filter) is { } error) return error;
        var levelStart = 0;
        for (var i = 0; i <= filter!.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/') continue;
            var level = filter.AsSpan(levelStart, i - levelStart);
            if (level.Contains('#') && (level.Length != 1 || i != filter.Length))
                return "uses '#' other than as the whole last level (e.g. 'a/#') [MQTT-4.7.1-2]";
            if (level.Contains('+') && level.Length != 1)
                return "uses '+' other than as a whole level (e.g. 'a/+/c') [MQTT-4.7.1-3]";
            levelStart = i + 1;
        }
        return null;
    }

    private static string? CommonError(string? value)
    {
        if (value is null) return "is null";
        // [MQTT-4.7.3-1]: topic names and filters are at least one character long.
        if (value.Length == 0) return "is empty [MQTT-4.7.3-1]";
        return MqttUtf8.Error(value);
    }
}
