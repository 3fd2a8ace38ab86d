using System.Threading.Channels;
using Gateway.Telemetry.Readings;

namespace Gateway.Telemetry.Pipeline;

/// <summary>
/// The bounded queue between sources and the batcher (DESIGN §2): many writers, one reader, never blocking a writer.
/// A full pipeline drops according to <see cref="PipelineOptions.FullMode"/> and counts every drop.
/// </summary>
public sealed class ReadingPipeline : IReadingSink
{
    private readonly Channel<Reading> _channel;
    private volatile bool _completed;

    /// <param name="options">Capacity (at least 1) and what a full pipeline drops.</param>
    public ReadingPipeline(PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1, nameof(options.Capacity));
        var statistics = new PipelineStatistics();
        Statistics = statistics;
        // DropOldest: the channel evicts and reports each eviction through itemDropped. DropNewest uses Wait mode,
        // whose TryWrite returns false when full instead of waiting; the channel's own DropWrite mode would return
        // true for a dropped reading, and IReadingSink promises false for a reading that was not taken.
        var channelOptions = new BoundedChannelOptions(options.Capacity)
        {
            FullMode = options.FullMode == PipelineFullMode.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        };
        _channel = Channel.CreateBounded<Reading>(channelOptions, _ => statistics.OnDropped());
    }

    /// <summary>Where the batcher reads; completes after <see cref="Complete"/> once the queue is drained.</summary>
    public ChannelReader<Reading> Reader => _channel.Reader;

    /// <summary>The pipeline's counters.</summary>
    public PipelineStatistics Statistics { get; }

    /// <summary>Offers a reading without waiting; false when refused (full in DropNewest mode, or completed). Counted either way.</summary>
    public bool TryWrite(in Reading reading)
    {
        if (_channel.Writer.TryWrite(reading))
        {
            Statistics.OnAccepted();
            return true;
        }
        // TryWrite fails only when full (Wait mode) or completed; tell the two apart for the counters.
        if (_completed) Statistics.OnRejectedAfterCompletion();
        else Statistics.OnDropped();
        return false;
    }

    /// <summary>No more readings: the reader drains what is queued and then completes. Idempotent.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }
}
