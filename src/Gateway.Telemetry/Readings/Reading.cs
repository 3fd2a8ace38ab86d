namespace Gateway.Telemetry.Readings;

/// <summary>
/// One measurement from one source, as a small value type so that the path from a sensor to the journal allocates
/// nothing per reading (DESIGN §4.1, §9).
/// </summary>
/// <remarks>
/// What the values mean is not stored here but in the <see cref="SourceDescriptor"/> that <see cref="Source"/> points
/// at: its <see cref="MeasurementSchema"/> names the measurement and the field behind each value slot. Capture time is
/// a monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/> units) of the boot it belongs to; UTC is derived
/// only when the reading is encoded, through the clock discipline (DESIGN §4.2).
/// </remarks>
public readonly struct Reading
{
    /// <param name="source">The registered source whose schema gives the values meaning.</param>
    /// <param name="monotonicTimestamp">Capture time in <see cref="TimeProvider.GetTimestamp"/> units.</param>
    /// <param name="values">The value slots, in schema field order.</param>
    /// <param name="subject">What the reading is about when a source reports for many (a radio tag id); 0 otherwise.</param>
    public Reading(SourceId source, long monotonicTimestamp, in ReadingValues values, ulong subject = 0)
    {
        Source = source;
        MonotonicTimestamp = monotonicTimestamp;
        Values = values;
        Subject = subject;
    }

    /// <summary>Index of the registered source (sensor) that produced the reading.</summary>
    public SourceId Source { get; }

    /// <summary>Capture time in <see cref="TimeProvider.GetTimestamp"/> ticks of the current boot.</summary>
    public long MonotonicTimestamp { get; }

    /// <summary>The field values in schema order; slots beyond the schema's field count are ignored.</summary>
    public ReadingValues Values { get; }

    /// <summary>
    /// An extra identity inside one source, for sources that report on many things (a radio hears many asset tags).
    /// Encoded as the schema's <see cref="MeasurementSchema.SubjectTagKey"/> tag when the schema has one; 0 otherwise.
    /// </summary>
    public ulong Subject { get; }
}
