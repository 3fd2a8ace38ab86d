namespace Gateway.Telemetry.LineProtocol;

/// <summary>
/// A line that is not valid line protocol. <see cref="Column"/> is the 1-based byte offset in the line where the
/// problem was found; <see cref="LineNumber"/> is 1-based within a payload, or 0 when the reader did not know it.
/// </summary>
public sealed class LineProtocolException : FormatException
{
    /// <param name="reason">What is wrong, without the position.</param>
    /// <param name="lineNumber">1-based line within the payload; 0 when unknown.</param>
    /// <param name="column">1-based byte offset within the line.</param>
    /// <param name="lineSkipped">Whether the reader skipped the line and went on (the message says so).</param>
    public LineProtocolException(string reason, int lineNumber, int column, bool lineSkipped = true)
        : base(BuildMessage(reason, lineNumber, column, lineSkipped))
    {
        Reason = reason;
        LineNumber = lineNumber;
        Column = column;
        LineSkipped = lineSkipped;
    }

    /// <summary>What was wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line in the payload, or 0 when unknown (a stream read with <see cref="LineProtocolParser.TryRead"/>).</summary>
    public int LineNumber { get; }

    /// <summary>1-based byte column in the line.</summary>
    public int Column { get; }

    /// <summary>
    /// True when the bad line was consumed, so reading can go on with the next line; false when the input cannot be
    /// resynchronised (a line longer than <see cref="LineProtocolParser.MaxLineLength"/> with no newline yet): drop
    /// the input or the connection.
    /// </summary>
    public bool LineSkipped { get; }

    private static string BuildMessage(string reason, int lineNumber, int column, bool lineSkipped)
    {
        string where = lineNumber > 0 ? $"line {lineNumber}, column {column}" : $"column {column}";
        string next = lineSkipped
            ? "the line was skipped; fix the producer that wrote it"
            : "the input cannot be resynchronised; discard it";
        return $"Invalid line protocol at {where}: {reason}; {next}.";
    }
}
