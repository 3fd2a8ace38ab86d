using Microsoft.Extensions.Logging;

namespace Gateway.Telemetry.Readings;

/// <summary>
/// A producer of readings (a GPS, a sensor, the counter). The agent registers each source, then calls
/// <see cref="RunAsync"/> once; the source runs until cancelled. A source that fails is restarted by the agent with
/// backoff, so a source should throw on a broken device rather than spin.
/// </summary>
public abstract class ReadingSource
{
    /// <param name="name">Unique among the profile's sources: it becomes the <c>sensor</c> tag.</param>
    /// <param name="schema">What the source's readings mean.</param>
    protected ReadingSource(string name, MeasurementSchema schema)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Schema = schema;
    }

    /// <summary>The source's name, written as the <c>sensor</c> tag.</summary>
    public string Name { get; }

    /// <summary>What the source's readings mean.</summary>
    public MeasurementSchema Schema { get; }

    /// <summary>Produces readings into <paramref name="context"/> until <paramref name="cancellationToken"/> fires.</summary>
    public abstract Task RunAsync(SourceContext context, CancellationToken cancellationToken);
}

/// <summary>What a running source needs: its id, the sink, the clock and a logger.</summary>
public sealed class SourceContext
{
    /// <summary>Made by the agent per source run.</summary>
    public SourceContext(SourceId id, IReadingSink sink, TimeProvider time, ILogger logger)
    {
        Id = id;
        Sink = sink;
        Time = time;
        Logger = logger;
    }

    /// <summary>The source's index in the registry, stamped on every reading it posts.</summary>
    public SourceId Id { get; }

    /// <summary>Where readings go (the pipeline); a write never blocks and may drop when full.</summary>
    public IReadingSink Sink { get; }

    /// <summary>The one clock for capture times, intervals and timeouts (monotonic; a test's manual clock).</summary>
    public TimeProvider Time { get; }

    /// <summary>The source's logger (quiet by default on the device: SD cards wear).</summary>
    public ILogger Logger { get; }

    /// <summary>Posts values captured now (monotonic time taken here).</summary>
    public bool Post(in ReadingValues values, ulong subject = 0) =>
        Sink.TryWrite(new Reading(Id, Time.GetTimestamp(), values, subject));

    /// <summary>Posts values captured at <paramref name="monotonicTimestamp"/> (e.g. a kernel edge timestamp).</summary>
    public bool Post(long monotonicTimestamp, in ReadingValues values, ulong subject = 0) =>
        Sink.TryWrite(new Reading(Id, monotonicTimestamp, values, subject));
}
