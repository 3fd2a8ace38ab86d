namespace Gateway.Ingest.Batching;

/// <summary>Line-boundary arithmetic on a buffer of whole line-protocol lines (each ends in '\n', DESIGN §4.4).</summary>
public static class LineSplit
{
    /// <summary>
    /// Splits at the line boundary nearest the middle. One half is empty when the buffer holds a single line.
    /// </summary>
    public static (ReadOnlyMemory<byte> First, ReadOnlyMemory<byte> Second) Halve(ReadOnlyMemory<byte> lines)
    {
        var span = lines.Span;
        if (span.Length < 2) return (ReadOnlyMemory<byte>.Empty, lines);
        var middle = span.Length / 2;
        // The line that holds the middle byte ends the first half; if it is the last line, the line before it does.
        var after = span[(middle - 1)..^1].IndexOf((byte)'\n');
        var at = after >= 0 ? middle + after : span[..middle].LastIndexOf((byte)'\n') + 1;
        return at <= 0 || at >= span.Length ? (ReadOnlyMemory<byte>.Empty, lines) : (lines[..at], lines[at..]);
    }

    public static int Count(ReadOnlySpan<byte> lines) => lines.Count((byte)'\n');
}
