namespace Gateway.Telemetry.LineProtocol;

/// <summary>
/// One parsed line-protocol point. Mutable on purpose: the ingest replaces or adds tags (the gateway id comes from the
/// MQTT topic, never from the payload: DESIGN §4.3) before writing the point on.
/// </summary>
public sealed class LinePoint
{
    /// <summary>The measurement name, unescaped (<c>env</c>, <c>gps</c>...: DESIGN §4.4).</summary>
    public string Measurement { get; set; } = string.Empty;

    /// <summary>Tags in the order they were read (or will be written).</summary>
    public List<KeyValuePair<string, string>> Tags { get; set; } = [];

    /// <summary>Fields in the order they were read; at least one for a valid point.</summary>
    public List<LineField> Fields { get; set; } = [];

    /// <summary>Timestamp in the payload's precision (ms for our gateways), or null when the line had none.</summary>
    public long? Timestamp { get; set; }

    /// <summary>Writes the point as one line, tags and fields in list order.</summary>
    public void WriteTo(LineProtocolWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteMeasurement(Measurement);
        foreach (var tag in Tags) writer.WriteTag(tag.Key, tag.Value);
        foreach (var field in Fields) field.Value.WriteTo(writer, field.Key);
        if (Timestamp is { } timestamp) writer.EndLine(timestamp);
        else writer.EndLine();
    }

    /// <summary>The point as a line of line protocol without the trailing newline (for logs and tests).</summary>
    public override string ToString()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        WriteTo(new LineProtocolWriter(buffer));
        // Spelled out: Gateway.Telemetry.Encoding would hide System.Text.Encoding here.
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan[..^1]);
    }
}
