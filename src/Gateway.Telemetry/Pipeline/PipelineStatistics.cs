using Gateway.Core.Counters;

namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// Counters of a <see cref="ReadingPipeline"/>, safe to read from any thread. Every reading offered is either
/// accepted or refused; an accepted reading is later delivered or evicted. So: offered = Accepted + refusals, and
/// delivered = Accepted - evictions.
/// </summary>
public sealed class PipelineStatistics
{
    private readonly AtomicCounter _accepted = new();
    private readonly AtomicCounter _dropped = new();
    private readonly AtomicCounter _rejectedAfterCompletion = new();

    /// <summary>Readings taken into the pipeline (<see cref="ReadingPipeline.TryWrite"/> returned true).</summary>
    public long Accepted => _accepted.Value;

    /// <summary>
    /// Readings lost because the pipeline was full: evicted while queued (<see cref="PipelineFullMode.DropOldest"/>)
    /// or refused at the door (<see cref="PipelineFullMode.DropNewest"/>).
    /// </summary>
    public long Dropped => _dropped.Value;

    /// <summary>Readings refused because the pipeline was already completed (offered during shutdown).</summary>
    public long RejectedAfterCompletion => _rejectedAfterCompletion.Value;

    internal void OnAccepted() => _accepted.Increment();

    internal void OnDropped() => _dropped.Increment();

    internal void OnRejectedAfterCompletion() => _rejectedAfterCompletion.Increment();
}
