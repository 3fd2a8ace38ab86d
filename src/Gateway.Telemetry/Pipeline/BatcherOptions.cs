namespace Gateway.Telemetry.Pipeline;

/// <summary>When the agent's batcher (Gateway.Agent.Uplink.JournalBatcher) appends a batch: whichever limit is reached first.</summary>
public sealed class BatcherOptions
{
    /// <summary>Readings per batch; 500 lines of about 150 bytes stay well under the byte limit.</summary>
    public int MaxReadings { get; init; } = 500;

    /// <summary>
    /// Longest time a reading waits in a partial batch, measured from the batch's first reading; bounds the latency
    /// a quiet gateway adds.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Payload bytes per batch. 64 KiB keeps an MQTT publish and a journal record small for slow links; a single
    /// line longer than this still goes out, alone in its batch.
    /// </summary>
    public int MaxBytes { get; init; } = 64 * 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first limit out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReadings, 1, nameof(MaxReadings));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MaxDelay, TimeSpan.Zero, nameof(MaxDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytes, 1, nameof(MaxBytes));
    }
}
