namespace Gateway.Ingest.Monitoring;

/// <summary>
/// Gap and duplicate detection for one series whose integer field counts up by one per point (the gateway's
/// <c>counter.seq</c>, a journal sequence). At-least-once delivery (DESIGN §2) means duplicates are normal after a
/// reconnect and points may arrive out of order after a backlog; so a gap is "currently missing" (it shrinks when the
/// late point arrives), and a duplicate is counted, never an error. A window of the last <see cref="Window"/> numbers
/// remembers which arrived; a number far below the window is a restarted counter (a reset), not thousands of duplicates.
/// </summary>
public sealed class SequenceTracker
{
    /// <summary>Numbers remembered behind the highest one: 4096 bits, 512 bytes per series.</summary>
    public const int Window = 4096;

    private readonly ulong[] _seen = new ulong[Window / 64];
    private long _high;
    private long _highTimestamp;
    private long _low;
    private bool _started;

    /// <summary>Numbers skipped and not (yet) arrived.</summary>
    public long Missing { get; private set; }

    /// <summary>Numbers that arrived more than once.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Times the sequence started again from a low number (the gateway's counter restarted).</summary>
    public long Resets { get; private set; }

    public long Highest => _high;

    /// <summary>
    /// Records <paramref name="seq"/>, stamped <paramref name="timestamp"/> (ms). A number at or below the highest one
    /// is a duplicate or a late arrival when its point is older than the highest one's, and a restarted counter when
    /// it is newer (a re-sent point keeps its original timestamp, DESIGN §2; a restarted gateway stamps new ones).
    /// </summary>
    public SequenceOutcome Observe(long seq, long timestamp)
    {
        if (!_started)
        {
            Restart(seq, timestamp);
            return SequenceOutcome.InOrder;
        }
        if (seq > _high)
        {
            var skipped = seq - _high - 1;
            // Numbers that fall out of the window stop being tracked: if they were missing, they stay counted as missing.
            if (skipped >= Window) Array.Clear(_seen);
            else for (var n = _high + 1; n < seq; n++) Unmark(n);
            Missing += skipped;
            _high = seq;
            _highTimestamp = timestamp;
            Mark(seq);
            return skipped == 0 ? SequenceOutcome.InOrder : SequenceOutcome.Gap;
        }
        if (timestamp > _highTimestamp)
        {
            Resets++;
            Restart(seq, timestamp);
            return SequenceOutcome.Reset;
        }
        if (seq <= _high - Window)
        {
            // Older than the window: it was counted missing when it was skipped; whether it also came earlier is unknown.
            Missing = Math.Max(0, Missing - 1);
            return SequenceOutcome.Late;
        }
        if (IsMarked(seq))
        {
            Duplicates++;
            return SequenceOutcome.Duplicate;
        }
        Mark(seq);
        // Below the first number seen since (re)start: it was never counted missing, so nothing to take back.
        if (seq < _low) return SequenceOutcome.Late;
        Missing--;
        return SequenceOutcome.Late;
    }

    private void Restart(long seq, long timestamp)
    {
        _started = true;
        Array.Clear(_seen);
        _high = seq;
        _low = seq;
        _highTimestamp = timestamp;
        Mark(seq);
    }

    private void Mark(long n) => _seen[Slot(n)] |= Bit(n);

    private void Unmark(long n) => _seen[Slot(n)] &= ~Bit(n);

    private bool IsMarked(long n) => (_seen[Slot(n)] & Bit(n)) != 0;

    private static int Slot(long n) => (int)((ulong)n % Window / 64);

    private static ulong Bit(long n) => 1UL << (int)((ulong)n % 64);
}

public enum SequenceOutcome
{
    InOrder,
    Gap,
    Late,
    Duplicate,
    Reset,
}
