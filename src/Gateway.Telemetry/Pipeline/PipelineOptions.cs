namespace Gateway.Telemetry.Pipeline;

/// <summary>What the pipeline does with a reading offered while it is full.</summary>
/// <remarks>
/// Drop versus wait is a product decision (STYLE.md habit 6), so it is configuration, not code. Sources never wait:
/// a source that blocked would miss its own sampling instants, stall a GPS serial reader into overrunning the kernel
/// buffer, or lose radio frames the SX1276 FIFO cannot hold, so back-pressure is turned into counted drops at the
/// pipeline's door instead. Which readings to lose is the choice left: the oldest keeps the freshest picture (what a
/// dashboard wants), the newest keeps an unbroken early record.
/// </remarks>
public enum PipelineFullMode : byte
{
    /// <summary>Evict the oldest queued reading to make room; the new one is accepted.</summary>
    DropOldest,

    /// <summary>Refuse the reading being offered (<see cref="ReadingPipeline.TryWrite"/> returns false).</summary>
    DropNewest,
}

/// <summary>Configuration of a <see cref="ReadingPipeline"/>.</summary>
public sealed class PipelineOptions
{
    /// <summary>
    /// Readings the pipeline holds. 8192 readings (about 1 MB) cover several seconds of every source at full rate
    /// while the batcher waits on a slow disk.
    /// </summary>
    public int Capacity { get; init; } = 8192;

    /// <summary>What happens when a reading arrives while <see cref="Capacity"/> readings are queued.</summary>
    public PipelineFullMode FullMode { get; init; } = PipelineFullMode.DropOldest;
}
