using System.Threading.Channels;
using Gateway.Hardware.Gpio;
using Microsoft.Extensions.Logging;

namespace Gateway.Devices.Pps;

/// <summary>
/// Reads a GPS receiver's pulse-per-second edges from a GPIO line, with edge detection by the kernel (GPIO character
/// device v2), and hands each edge's timestamp to <see cref="EdgeSink"/> (the clock discipline's
/// <c>SynchronizeToPpsEdge</c>), counting what became of them in <see cref="Statistics"/>.
/// </summary>
/// <remarks>
/// The timestamp is the kernel's, taken in the interrupt handler when the edge happened, already in the chip's
/// <see cref="TimeProvider"/> units (<see cref="GpioEdgeEvent.Timestamp"/>; Gateway.Hardware's MonotonicClock converts
/// CLOCK_MONOTONIC nanoseconds): how late this reader gets to an edge does not change the time it marks.
/// <see cref="RunAsync"/> holds the line until cancelled and throws an <see cref="IOException"/> when the line cannot
/// be requested or stops delivering; the caller restarts it with backoff (the agent's supervisor).
/// </remarks>
public sealed partial class PpsEdgeReader
{
    private readonly GpioChip _chip;
    private readonly PpsOptions _options;

    /// <summary>The chip stays the caller's.</summary>
    public PpsEdgeReader(string name, GpioChip chip, PpsOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Edge is not (GpioEdge.Rising or GpioEdge.Falling))
            throw new ArgumentException("A PPS second starts on one edge: Rising or Falling.", nameof(options));
        Name = name;
        _chip = chip;
        _options = options;
    }

    /// <summary>For messages and the GPIO consumer label, e.g. <c>gps.pps</c>.</summary>
    public string Name { get; }

    /// <summary>The line and edge read, as the profile gave them.</summary>
    public PpsOptions Options => _options;

    /// <summary>Edges read, used, rejected and lost since the reader was created; the agent publishes them as self-metrics.</summary>
    public PpsStatistics Statistics { get; } = new();

    /// <summary>
    /// Takes an edge's monotonic timestamp and returns whether it was used. Set it before <see cref="RunAsync"/>;
    /// without one, edges are read and counted as rejected.
    /// </summary>
    public Func<long, bool>? EdgeSink { get; set; }

    /// <summary>Requests the line and passes its edges on until cancelled.</summary>
    /// <exception cref="IOException">The line cannot be requested (absent, taken) or its event stream ended.</exception>
    public async Task RunAsync(TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        using var request = _chip.RequestLines(new GpioRequestOptions([_options.Line], GpioDirection.Input, $"gateway-{Name}")
        {
            Edges = _options.Edge,
        });
        Statistics.Opened(request);
        LogOpened(logger, Name, _chip.Name, _options.Line, _options.Edge);
        try
        {
            var silent = false;
            while (true)
            {
                if (await ReadAsync(request, time, cancellationToken).ConfigureAwait(false) is not { } edge)
                {
                    if (!silent) LogSilent(logger, Name, _chip.Name, _options.Line, _options.SilenceWarning.TotalSeconds);
                    silent = true;
                    continue;
                }
                if (silent) LogResumed(logger, Name);
                silent = false;
                Statistics.Read(EdgeSink?.Invoke(edge.Timestamp) ?? false);
            }
        }
        finally
        {
            Statistics.Closed(request);
        }
    }

    /// <summary>The next edge, or null when none came within <see cref="PpsOptions.SilenceWarning"/>.</summary>
    private async ValueTask<GpioEdgeEvent?> ReadAsync(GpioLineRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        using var silence = new CancellationTokenSource(_options.SilenceWarning, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        try
        {
            return await request.ReadEdgeAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            throw new IOException($"{_chip.Name} line {_options.Line}: the kernel stopped delivering PPS edges (the chip went away?); the line is requested again");
        }
    }

    [LoggerMessage(EventId = 5210, Level = LogLevel.Information, Message = "PPS {Name}: reading {Edge} edges on {Chip} line {Line}")]
    private static partial void LogOpened(ILogger logger, string name, string chip, int line, GpioEdge edge);

    [LoggerMessage(EventId = 5211, Level = LogLevel.Warning, Message = "PPS {Name}: no edge on {Chip} line {Line} for {Seconds} s; most receivers pulse only with a fix. Otherwise check the PPS wire to that pin (BCM numbering) and that no pps-gpio overlay holds the line")]
    private static partial void LogSilent(ILogger logger, string name, string chip, int line, double seconds);

    [LoggerMessage(EventId = 5212, Level = LogLevel.Information, Message = "PPS {Name}: edges are arriving again")]
    private static partial void LogResumed(ILogger logger, string name);
}
