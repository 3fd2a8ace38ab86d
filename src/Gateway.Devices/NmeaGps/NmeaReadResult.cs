namespace Gateway.Devices.NmeaGps;

/// <summary>What one step of <see cref="NmeaSentenceReader.Read"/> found.</summary>
public enum NmeaReadResult
{
    /// <summary>A complete sentence with a valid checksum.</summary>
    Sentence,

    /// <summary>The buffered bytes end inside a sentence (or are empty); nothing was consumed from the <c>$</c> on.</summary>
    NeedMoreData,

    /// <summary>Bytes before the next <c>$</c> (noise, NULs, comment lines) were skipped.</summary>
    Garbage,

    /// <summary>A complete line whose <c>*hh</c> checksum does not match was skipped.</summary>
    ChecksumError,

    /// <summary>A line without a checksum, over-long, spliced by a second <c>$</c>, or holding a control byte was skipped.</summary>
    Malformed,
}
