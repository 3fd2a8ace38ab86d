using System.Buffers;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Encoding;

public sealed partial class ReadingEncoder
{
    /// <summary>
    /// Appends one discrete event for <c>fleet/{gateway}/events</c> (DESIGN §4.3):
    /// <c>event,gateway={id},kind={kind},sensor={sensor}[,tag={tag}][,time_quality=unsynced] message="...",field=value... {unix ms}\n</c>,
    /// tags in key order. The capture time is monotonic and converted by the same clock discipline as readings, so an
    /// event captured before any sync says so with <c>time_quality=unsynced</c> instead of passing off a system clock
    /// that may be hours off (fake-hwclock after a power cut) as true time. Events are rare; this path may allocate.
    /// </summary>
    /// <param name="kind">What happened, the <c>kind</c> tag (<c>door</c>, <c>unclean_restart</c>...).</param>
    /// <param name="sensor">The source it concerns, the <c>sensor</c> tag.</param>
    /// <param name="tag">The radio tag it concerns, or null (no <c>tag</c> tag).</param>
    /// <param name="message">A sentence for the operator, the <c>message</c> string field.</param>
    /// <param name="fields">Kind-specific fields: doubles become floats (non-finite ones are left out), longs and ints
    /// integers, bools booleans; other types are left out.</param>
    /// <param name="monotonicTimestamp">When it happened, in <see cref="TimeProvider.GetTimestamp"/> units.</param>
    /// <param name="output">Where the line is appended, ending with a newline.</param>
    /// <returns>The quality of the timestamp written.</returns>
    public TimeQuality EncodeEvent(string kind, string sensor, string? tag, string message,
        IReadOnlyList<KeyValuePair<string, object>> fields, long monotonicTimestamp, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(output);
        long timestamp = _clock.ToUnixMilliseconds(monotonicTimestamp, out var quality);
        var writer = new LineProtocolWriter(output);
        writer.WriteMeasurement("event");
        writer.WriteTag("gateway", _gatewayId);
        writer.WriteTag("kind", kind);
        writer.WriteTag("sensor", sensor);
        if (tag is not null) writer.WriteTag("tag", tag);
        if (quality == TimeQuality.Unsynced) writer.WriteTag(TimeQualityTag, "unsynced");
        writer.WriteStringField("message", message);
        foreach (var (key, value) in fields)
        {
            switch (value)
            {
                case bool b: writer.WriteField(key, b); break;
                case long l: writer.WriteField(key, l); break;
                case int i: writer.WriteField(key, (long)i); break;
                case double d when double.IsFinite(d): writer.WriteField(key, d); break;
            }
        }
        writer.EndLine(timestamp);
        return quality;
    }
}
