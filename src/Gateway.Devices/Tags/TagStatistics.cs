using Gateway.Core.Counters;

namespace Gateway.Devices.Tags;

/// <summary>What happened to received tag frames. Every dropped frame is counted under exactly one reason.</summary>
internal sealed class TagStatistics
{
    private readonly AtomicCounter _received = new();
    private readonly AtomicCounter _accepted = new();
    private readonly AtomicCounter _malformed = new();
    private readonly AtomicCounter _unknownTag = new();
    private readonly AtomicCounter _badMic = new();
    private readonly AtomicCounter _replayed = new();

    public long Received => _received.Value;
    public long Accepted => _accepted.Value;
    public long Malformed => _malformed.Value;
    public long UnknownTag => _unknownTag.Value;
    public long BadMic => _badMic.Value;
    public long Replayed => _replayed.Value;

    /// <summary>All dropped frames.</summary>
    public long Dropped => Malformed + UnknownTag + BadMic + Replayed;

    internal void Count(TagVerdict verdict)
    {
        _received.Increment();
        switch (verdict)
        {
            case TagVerdict.Accepted: _accepted.Increment(); break;
            case TagVerdict.Malformed: _malformed.Increment(); break;
            case TagVerdict.UnknownTag: _unknownTag.Increment(); break;
            case TagVerdict.BadMic: _badMic.Increment(); break;
            case TagVerdict.Replayed: _replayed.Increment(); break;
        }
    }

    public override string ToString() =>
        $"received {Received}, accepted {Accepted}, malformed {Malformed}, unknown tag {UnknownTag}, bad MIC {BadMic}, replayed {Replayed}";
}

/// <summary>The outcome of checking one packet.</summary>
internal enum TagVerdict
{
    Accepted,
    Malformed,
    UnknownTag,
    BadMic,
    Replayed,
}
