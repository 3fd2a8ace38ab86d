using System.Buffers;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Readings;

namespace Gateway.Telemetry.Encoding;

public sealed partial class ReadingEncoder
{
    private const string TimeQualityTag = "time_quality";

    /// <summary>Returns the source's precomputed layout, building it on first use (once per source, then lock-free).</summary>
    private SourceLayout GetLayout(SourceId id)
    {
        var layouts = Volatile.Read(ref _layouts);
        if (id.Value < layouts.Length && layouts[id.Value] is { } layout) return layout;
        lock (_layoutGate)
        {
            if (_layouts.Length <= id.Value) Array.Resize(ref _layouts, Math.Max(id.Value + 1, _sources.All.Count));
            return _layouts[id.Value] ??= BuildLayout(_sources[id]);
        }
    }

    private SourceLayout BuildLayout(SourceDescriptor source)
    {
        var schema = source.Schema;
        string? subjectKey = schema.SubjectTagKey;
        if (subjectKey is "" or "gateway" or "sensor" or TimeQualityTag)
            throw new InvalidOperationException($"Measurement '{schema.Measurement}' has subject tag key '{subjectKey}', which is empty or taken by the encoder; choose another key in its schema.");

        var fieldKeys = new byte[schema.Fields.Count][];
        var kinds = new FieldKind[schema.Fields.Count];
        var labels = new byte[schema.Fields.Count][][];
        int maxBytes = 0;
        for (int i = 0; i < fieldKeys.Length; i++)
        {
            fieldKeys[i] = EscapeFieldKey(schema.Fields[i].Name);
            kinds[i] = schema.Fields[i].Kind;
            labels[i] = schema.Fields[i].Labels is { } names ? [.. names.Select(EscapeStringValue)] : [];
            int valueBytes = labels[i].Length == 0 ? LineProtocolSyntax.MaxNumberBytes : labels[i].Max(l => l.Length);
            maxBytes += 1 + fieldKeys[i].Length + valueBytes;
        }
        var synced = BuildPrefix(source, synced: true);
        var unsynced = BuildPrefix(source, synced: false);
        maxBytes += unsynced.Head.Length + MaxSubjectBytes + unsynced.Tail.Length + 2 + LineProtocolSyntax.MaxNumberBytes;
        return new SourceLayout(synced, unsynced, subjectKey is not null, fieldKeys, kinds, labels, maxBytes);
    }

    /// <summary>
    /// The escaped <c>measurement,tag=value...</c> bytes, split around the subject tag's value when the schema has one
    /// (Head ends with <c>,{subject key}=</c>), with every tag in ordinal key order.
    /// </summary>
    private Prefix BuildPrefix(SourceDescriptor source, bool synced)
    {
        var tags = new List<(string Key, string? Value)> { ("gateway", _gatewayId), ("sensor", source.Name) };
        if (source.Schema.SubjectTagKey is { } subjectKey) tags.Add((subjectKey, null));
        if (!synced) tags.Add((TimeQualityTag, "unsynced"));
        tags.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));

        var head = new ArrayBufferWriter<byte>();
        var tail = new ArrayBufferWriter<byte>();
        var writer = new LineProtocolWriter(head);
        writer.WriteMeasurement(source.Schema.Measurement);
        foreach (var (key, value) in tags)
        {
            if (value is not null)
            {
                writer.WriteTag(key, value);
                continue;
            }
            // The subject's value is written per reading: close Head with ",key=" and go on in Tail.
            var scratch = new ArrayBufferWriter<byte>();
            var probe = new LineProtocolWriter(scratch);
            probe.WriteRaw([]);
            probe.WriteTag(key, "0");
            head.Write(scratch.WrittenSpan[..^1]);
            writer = new LineProtocolWriter(tail);
            writer.WriteRaw([]);
        }
        return new Prefix(head.WrittenSpan.ToArray(), tail.WrittenSpan.ToArray());
    }

    private static byte[] EscapeFieldKey(string name)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new LineProtocolWriter(buffer);
        writer.WriteRaw([]);
        writer.WriteField(name, true);
        // " key=true" -> "key="
        return buffer.WrittenSpan[1..^4].ToArray();
    }

    /// <summary>A label as a string field value, quoted and escaped: <c>"gps+pps"</c>.</summary>
    private static byte[] EscapeStringValue(string label)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new LineProtocolWriter(buffer);
        writer.WriteRaw([]);
        writer.WriteStringField("k", label);
        // " k=\"label\"" -> "\"label\""
        return buffer.WrittenSpan[3..].ToArray();
    }

    private sealed record Prefix(byte[] Head, byte[] Tail);

    // Labels: per field, the escaped values of a FieldKind.Label field by index; empty for other kinds.
    private sealed record SourceLayout(Prefix Synced, Prefix Unsynced, bool HasSubject, byte[][] FieldKeys, FieldKind[] Kinds, byte[][][] Labels, int MaxLineBytes)
    {
        /// <summary>The source's last written timestamp (<see cref="SourceTimeOrder"/>).</summary>
        public SourceTimeOrder Order { get; } = new();
    }
}
