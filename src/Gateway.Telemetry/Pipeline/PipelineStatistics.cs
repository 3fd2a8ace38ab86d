namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// Counters of a <see cref="ReadingPipeline"/>, safe to read from any thread. Every reading offered is either
/// accepted or refused; an accepted reading is later delivered or evicted. So: offered = Accepted + refusals, and
/// delivered = Accepted - evictions.
/// </summary>
public sealed class PipelineStatistics
{
    private long _accepted;
    private long _dropped;
    private long _rejectedAfterCompletion;

    /// <summary>Readings taken into the pipeline (<see cref="ReadingPipeline.TryWrite"/> returned true).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>
    /// Readings lost because the pipeline was full: evicted while queued (<see cref="PipelineFullMode.DropOldest"/>)
    /// or refused at the door (<see cref="PipelineFullMode.DropNewest"/>).
    /// </summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Readings refused because the pipeline was already completed (offered during shutdown).</summary>
    public long RejectedAfterCompletion => Interlocked.Read(ref _rejectedAfterCompletion);

    internal void OnAccepted() => Interlocked.Increment(ref _accepted);

    internal void OnDropped() => Interlocked.Increment(ref _dropped);

    internal void OnRejectedAfterCompletion() => Interlocked.Increment(ref _rejectedAfterCompletion);
}
