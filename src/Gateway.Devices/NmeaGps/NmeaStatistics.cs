using Gateway.Core.Counters;

namespace Gateway.Devices.NmeaGps;

/// <summary>Counters of what an NMEA stream contained; safe to read from any thread while a reader updates them.</summary>
public sealed class NmeaStatistics
{
    private readonly AtomicCounter _sentences = new();
    private readonly AtomicCounter _checksumErrors = new();
    private readonly AtomicCounter _malformed = new();
    private readonly AtomicCounter _garbageBytes = new();
    private readonly AtomicCounter _fixes = new();
    private readonly AtomicCounter _jumps = new();

    /// <summary>Sentences with a valid checksum.</summary>
    public long Sentences => _sentences.Value;

    /// <summary>Complete lines whose checksum did not match.</summary>
    public long ChecksumErrors => _checksumErrors.Value;

    /// <summary>Lines skipped as malformed (no checksum, too long, spliced, control bytes) or undecodable fields.</summary>
    public long Malformed => _malformed.Value;

    /// <summary>Bytes skipped between sentences (line noise, NULs, comments).</summary>
    public long GarbageBytes => _garbageBytes.Value;

    /// <summary>Epochs that produced a fix (mode 2 or 3).</summary>
    public long Fixes => _fixes.Value;

    /// <summary>Fixes whose position moved implausibly fast since the previous one (hundreds of km in a second).</summary>
    public long PositionJumps => _jumps.Value;

    internal void Count(NmeaReadResult result, int skippedBytes)
    {
        switch (result)
        {
            case NmeaReadResult.Sentence: _sentences.Increment(); break;
            case NmeaReadResult.ChecksumError: _checksumErrors.Increment(); break;
            case NmeaReadResult.Malformed: _malformed.Increment(); break;
            case NmeaReadResult.Garbage: _garbageBytes.Add(skippedBytes); break;
        }
    }

    internal void CountMalformed() => _malformed.Increment();

    internal void CountFix() => _fixes.Increment();

    internal void CountJump() => _jumps.Increment();

    /// <summary>Every counter as <c>key=value</c> on one line, for logs and <c>gatewayctl gps replay</c>.</summary>
    public override string ToString() =>
        $"sentences={Sentences} checksum_errors={ChecksumErrors} malformed={Malformed} garbage_bytes={GarbageBytes} fixes={Fixes} position_jumps={PositionJumps}";
}
