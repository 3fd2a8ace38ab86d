namespace Gateway.Devices.NmeaGps;

/// <summary>Counters of what an NMEA stream contained; safe to read from any thread while a reader updates them.</summary>
public sealed class NmeaStatistics
{
    private long _sentences, _checksumErrors, _malformed, _garbageBytes, _fixes, _jumps;

    /// <summary>Sentences with a valid checksum.</summary>
    public long Sentences => Interlocked.Read(ref _sentences);

    /// <summary>Complete lines whose checksum did not match.</summary>
    public long ChecksumErrors => Interlocked.Read(ref _checksumErrors);

    /// <summary>Lines skipped as malformed (no checksum, too long, spliced, control bytes) or undecodable fields.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Bytes skipped between sentences (line noise, NULs, comments).</summary>
    public long GarbageBytes => Interlocked.Read(ref _garbageBytes);

    /// <summary>Epochs that produced a fix (mode 2 or 3).</summary>
    public long Fixes => Interlocked.Read(ref _fixes);

    /// <summary>Fixes whose position moved implausibly fast since the previous one (hundreds of km in a second).</summary>
    public long PositionJumps => Interlocked.Read(ref _jumps);

    internal void Count(NmeaReadResult result, int skippedBytes)
    {
        switch (result)
        {
            case NmeaReadResult.Sentence: Interlocked.Increment(ref _sentences); break;
            case NmeaReadResult.ChecksumError: Interlocked.Increment(ref _checksumErrors); break;
            case NmeaReadResult.Malformed: Interlocked.Increment(ref _malformed); break;
            case NmeaReadResult.Garbage: Interlocked.Add(ref _garbageBytes, skippedBytes); break;
        }
    }

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountFix() => Interlocked.Increment(ref _fixes);

    internal void CountJump() => Interlocked.Increment(ref _jumps);

    public override string ToString() =>
        $"sentences={Sentences} checksum_errors={ChecksumErrors} malformed={Malformed} garbage_bytes={GarbageBytes} fixes={Fixes} position_jumps={PositionJumps}";
}
