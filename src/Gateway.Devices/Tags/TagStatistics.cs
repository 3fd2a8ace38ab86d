namespace Gateway.Devices.Tags;

/// <summary>What happened to received tag frames. Every dropped frame is counted under exactly one reason.</summary>
public sealed class TagStatistics
{
    private long _received, _accepted, _malformed, _unknownTag, _badMic, _replayed;

    public long Received => Interlocked.Read(ref _received);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Malformed => Interlocked.Read(ref _malformed);
    public long UnknownTag => Interlocked.Read(ref _unknownTag);
    public long BadMic => Interlocked.Read(ref _badMic);
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>All dropped frames.</summary>
    public long Dropped => Malformed + UnknownTag + BadMic + Replayed;

    internal void Count(TagVerdict verdict)
    {
        Interlocked.Increment(ref _received);
        switch (verdict)
        {
            case TagVerdict.Accepted: Interlocked.Increment(ref _accepted); break;
            case TagVerdict.Malformed: Interlocked.Increment(ref _malformed); break;
            case TagVerdict.UnknownTag: Interlocked.Increment(ref _unknownTag); break;
            case TagVerdict.BadMic: Interlocked.Increment(ref _badMic); break;
            case TagVerdict.Replayed: Interlocked.Increment(ref _replayed); break;
        }
    }

    public override string ToString() =>
        $"received {Received}, accepted {Accepted}, malformed {Malformed}, unknown tag {UnknownTag}, bad MIC {BadMic}, replayed {Replayed}";
}

/// <summary>The outcome of checking one packet.</summary>
public enum TagVerdict
{
    Accepted,
    Malformed,
    UnknownTag,
    BadMic,
    Replayed,
}
