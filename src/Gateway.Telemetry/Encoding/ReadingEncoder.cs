using System.Buffers;
using System.Globalization;
using Gateway.Telemetry.LineProtocol;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.Core.Counters;

namespace Gateway.Telemetry.Encoding;

/// <summary>
/// Encodes a <see cref="Reading"/> as one line of line protocol (DESIGN §4.4), allocating nothing per reading:
/// <c>{measurement},gateway={id}[,{subject key}={subject hex}],sensor={source}[,time_quality=unsynced] field=value,... {unix ms}\n</c>
/// with the tags in lexicographic key order, as InfluxDB recommends (it sorts them anyway, and sorted input spares it
/// the work). The escaped, UTF-8 prefix of each source is built once, on its first reading.
/// </summary>
/// <remarks>
/// Field types come from the source's schema: floats in shortest round-trip form; integers truncated toward zero with
/// the <c>i</c> suffix; booleans as <c>true</c>/<c>false</c>; labels as the quoted name the value indexes. A value that
/// cannot be written (NaN, an infinite float, an integer outside the range of a long, an index with no label) leaves
/// its field out; a reading with no writable field is not written at
/// all and is counted in <see cref="SkippedReadings"/>. Encode may be called from one thread at a time per output;
/// the encoder itself is safe to share.
/// </remarks>
public sealed partial class ReadingEncoder
{
    private const int MaxSubjectBytes = 16; // a ulong in hex

    private readonly SourceRegistry _sources;
    private readonly string _gatewayId;
    private readonly ClockDiscipline _clock;
    private readonly Lock _layoutGate = new();
    private SourceLayout?[] _layouts = [];
    private readonly AtomicCounter _skippedReadings = new();
    private readonly AtomicCounter _nudgedTimestamps = new();

    /// <param name="sources">The registered sources; each source's layout (escaped prefix, field keys) is built on its
    /// first reading and kept.</param>
    /// <param name="gatewayId">The <c>gateway</c> tag of every line: the id that is also the CN of the certificate.</param>
    /// <param name="clock">Converts capture times to UTC and says whether that is true time (DESIGN §4.2).</param>
    public ReadingEncoder(SourceRegistry sources, string gatewayId, ClockDiscipline clock)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentException.ThrowIfNullOrEmpty(gatewayId);
        ArgumentNullException.ThrowIfNull(clock);
        _sources = sources;
        _gatewayId = gatewayId;
        _clock = clock;
    }

    /// <summary>Readings not written because none of their fields had a writable value.</summary>
    public long SkippedReadings => _skippedReadings.Value;

    /// <summary>
    /// Readings written a millisecond after their source's previous one instead of at their own time, because a
    /// backward clock step would have given them a timestamp the source had already written (<see cref="SourceTimeOrder"/>).
    /// </summary>
    public long NudgedTimestamps => _nudgedTimestamps.Value;

    /// <summary>Appends the reading's line to <paramref name="output"/>, or nothing if it has no writable field.</summary>
    public void Encode(in Reading reading, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var layout = GetLayout(reading.Source);
        ReadingValues values = reading.Values;
        if (!HasWritableField(layout, values))
        {
            _skippedReadings.Increment();
            return;
        }
        long timestamp = _clock.ToUnixMilliseconds(reading.MonotonicTimestamp, out var quality);
        // A source with a subject writes one series per subject (several may share a capture time, which must stay), and
        // each subject reports seconds apart (a tag's beacon), far more than a step back that could make two collide.
        if (!layout.HasSubject)
        {
            timestamp = layout.Order.Next(timestamp, out bool nudged);
            if (nudged) _nudgedTimestamps.Increment();
        }
        var prefix = quality == TimeQuality.Synced ? layout.Synced : layout.Unsynced;

        var span = output.GetSpan(layout.MaxLineBytes);
        prefix.Head.CopyTo(span);
        int n = prefix.Head.Length;
        if (layout.HasSubject)
        {
            reading.Subject.TryFormat(span[n..], out int hex, "x8", CultureInfo.InvariantCulture);
            n += hex;
            prefix.Tail.CopyTo(span[n..]);
            n += prefix.Tail.Length;
        }
        byte separator = (byte)' ';
        for (int i = 0; i < layout.Kinds.Length; i++)
        {
            if (!IsWritable(layout, i, values[i])) continue;
            span[n++] = separator;
            separator = (byte)',';
            layout.FieldKeys[i].CopyTo(span[n..]);
            n += layout.FieldKeys[i].Length;
            n += FormatValue(layout, i, values[i], span[n..]);
        }
        span[n++] = (byte)' ';
        n += LineProtocolSyntax.FormatInt64(timestamp, span[n..]);
        span[n++] = (byte)'\n';
        output.Advance(n);
    }

    private static bool HasWritableField(SourceLayout layout, in ReadingValues values)
    {
        for (int i = 0; i < layout.Kinds.Length; i++)
        {
            if (IsWritable(layout, i, values[i])) return true;
        }
        return false;
    }

    // 2^63 is exactly representable as a double; the range of a long is [-2^63, 2^63).
    private const double LongLimit = 9223372036854775808.0;

    private static bool IsWritable(SourceLayout layout, int field, double value) => layout.Kinds[field] switch
    {
        FieldKind.Integer => value >= -LongLimit && value < LongLimit, // false for NaN too
        FieldKind.Boolean => !double.IsNaN(value),
        FieldKind.Label => value >= 0 && value < layout.Labels[field].Length && value == Math.Floor(value), // false for NaN too
        _ => double.IsFinite(value),
    };

    private static int FormatValue(SourceLayout layout, int field, double value, Span<byte> destination)
    {
        switch (layout.Kinds[field])
        {
            case FieldKind.Label:
                var label = layout.Labels[field][(int)value];
                label.CopyTo(destination);
                return label.Length;
            case FieldKind.Integer:
                int n = LineProtocolSyntax.FormatInt64((long)Math.Truncate(value), destination);
                destination[n] = (byte)'i';
                return n + 1;
            case FieldKind.Boolean:
                var text = value != 0 ? "true"u8 : "false"u8;
                text.CopyTo(destination);
                return text.Length;
            default:
                return LineProtocolSyntax.FormatDouble(value, destination);
        }
    }
}
