using System.Runtime.CompilerServices;

namespace Gateway.Telemetry.Readings;

/// <summary>
/// Up to <see cref="Capacity"/> numeric field values carried inline in a <see cref="Reading"/>. Integers and booleans
/// are stored as doubles: every integer field we have fits in the 53-bit mantissa exactly (frame counters are u32,
/// sequence numbers stay below 2^53 for centuries at any realistic rate).
/// </summary>
[InlineArray(Capacity)]
public struct ReadingValues
{
    /// <summary>Enough for a GPS fix (lat, lon, alt, speed, course, hdop, satellites, mode) and a tag frame.</summary>
    public const int Capacity = 10;

    private double _element0;

    /// <summary>Builds values from a span; slots past its length stay 0.</summary>
    public static ReadingValues From(ReadOnlySpan<double> values)
    {
        if (values.Length > Capacity)
            throw new ArgumentException($"A reading holds at most {Capacity} values; got {values.Length}.", nameof(values));
        var result = default(ReadingValues);
        values.CopyTo(result);
        return result;
    }
}
