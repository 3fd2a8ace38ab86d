using Gateway.Devices.Pacing;
using Gateway.Devices.Sx1276;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Spi;
using Gateway.Telemetry.Readings;
using Microsoft.Extensions.Logging;

namespace Gateway.Devices.Tags;

/// <summary>A tag heard for the first time at this gateway (the agent turns it into a <c>tag_seen</c> event).</summary>
public readonly record struct TagSeen(TagFrame Frame, double RssiDbm, double SnrDb, long Timestamp);

/// <summary>Where the SX1276's control lines are: the GPIO chip, NRESET (null when not wired) and DIO0.</summary>
public sealed record LoraLines(GpioChip Chip, int? ResetLine, int Dio0Line);

/// <summary>
/// Receives asset tag frames with an SX1276 and posts a <c>tag</c> reading per accepted frame (see
/// <see cref="TagMeasurement"/>). DIO0's rising edge (RxDone) wakes it; the kernel's edge timestamp is the capture
/// time. Frames go through a <see cref="TagAuthenticator"/>: bad MICs, unknown tags and replays are dropped and
/// counted. Every <c>healthInterval</c> without traffic the chip is checked, and reset and re-initialised if it stopped
/// answering or lost its settings. Bus errors propagate so the agent restarts the source with backoff. Its rate is
/// the tags' (<see cref="IRateFixed"/>).
/// </summary>
public sealed partial class TagSource : ReadingSource, IRateFixed
{
    private readonly SpiDevice _spi;
    private readonly LoraLines _lines;
    private readonly LoraRegionPlan _plan;
    private readonly TagAuthenticator _authenticator;
    private readonly TimeSpan _healthInterval;

    /// <summary>The SPI device, chip and authenticator stay the caller's.</summary>
    public TagSource(string name, SpiDevice spi, LoraLines lines, LoraRegionPlan plan, TagAuthenticator authenticator, TimeSpan healthInterval)
        : base(name, TagMeasurement.Schema)
    {
        ArgumentNullException.ThrowIfNull(spi);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(healthInterval, TimeSpan.Zero);
        _spi = spi;
        _lines = lines;
        _plan = plan;
        _authenticator = authenticator;
        _healthInterval = healthInterval;
    }

    /// <summary>Raised on the source's task the first time a tag is accepted here (handlers must be quick).</summary>
    public event Action<TagSeen>? TagSeen;

    /// <inheritdoc/>
    public string RateRefusal =>
        "this source posts one reading per frame it receives, and the asset tags decide when they transmit (each tag's beacon interval is set in the tag's own firmware); change it there. The profile's healthCheckSeconds paces only the idle radio's health check";

    /// <summary>Frame verdicts.</summary>
    internal TagStatistics Tags => _authenticator.Statistics;

    /// <summary>The radio's counters (packets, CRC errors, resets) across restarts of the source.</summary>
    internal Sx1276Statistics Radio { get; } = new();

    /// <summary>
    /// Takes the reset and DIO0 lines, initialises the radio with the region plan and posts one <c>tag</c> reading per
    /// accepted frame until cancelled. Bus and GPIO errors propagate: the agent restarts the source with backoff.
    /// </summary>
    public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var reset = _lines.ResetLine is { } r
            ? _lines.Chip.RequestLines(new GpioRequestOptions([r], GpioDirection.Output, "gateway-lora-reset") { InitialValues = [true] })
            : null;
        using var dio0 = _lines.Chip.RequestLines(new GpioRequestOptions([_lines.Dio0Line], GpioDirection.Input, "gateway-lora-dio0") { Edges = GpioEdge.Rising });
        var driver = new Sx1276Driver(_spi, reset, _lines.ResetLine ?? 0, Radio);
        driver.Initialize(_plan);
        LogListening(context.Logger, Name, _spi.Settings.ToString(), _plan.Region, _plan.FrequencyHz / 1e6, _plan.SpreadingFactor, _authenticator.KnownTags);
        var payload = new byte[Sx1276Driver.MaxPayload];
        while (true)
        {
            var edge = await WaitForEdgeAsync(dio0, context.Time, cancellationToken).ConfigureAwait(false);
            // Drain whatever is waiting, also after a timeout in case an edge was missed.
            var any = false;
            while (driver.TryReadPacket(payload, out var packet))
            {
                any = true;
                Handle(context, payload.AsSpan(0, packet.Length), packet, edge ?? context.Time.GetTimestamp());
            }
            if (!any && edge is null) CheckHealth(context, driver);
        }
    }

    private void Handle(SourceContext context, ReadOnlySpan<byte> bytes, in LoraPacket packet, long captured)
    {
        var verdict = _authenticator.Check(bytes, out var frame, out var firstSeen, out var reason);
        if (verdict != TagVerdict.Accepted)
        {
            LogDropped(context.Logger, Name, verdict, reason, Math.Round(packet.RssiDbm, 1));
            return;
        }
        context.Post(captured, TagMeasurement.Values(frame, packet.RssiDbm, packet.SnrDb), frame.TagId);
        if (!firstSeen) return;
        LogFirstSeen(context.Logger, frame.TagHex, Math.Round(packet.RssiDbm, 1), packet.SnrDb);
        TagSeen?.Invoke(new TagSeen(frame, packet.RssiDbm, packet.SnrDb, captured));
    }

    private async Task<long?> WaitForEdgeAsync(GpioLineRequest dio0, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_healthInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var e = await dio0.ReadEdgeAsync(linked.Token).ConfigureAwait(false);
            return e.Timestamp;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private void CheckHealth(SourceContext context, Sx1276Driver driver)
    {
        if (driver.IsHealthy(out var problem)) return;
        LogRecovering(context.Logger, Name, problem);
        driver.Recover();
    }

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "LoRa source {Source} listening on {Device}: {Region} {FrequencyMhz} MHz SF{Sf}, {Tags} tags provisioned")]
    private static partial void LogListening(ILogger logger, string source, string device, string region, double frequencyMhz, int sf, int tags);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "LoRa source {Source} dropped a frame ({Verdict}): {Reason}; RSSI {Rssi} dBm")]
    private static partial void LogDropped(ILogger logger, string source, TagVerdict verdict, string reason, double rssi);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Tag {Tag} seen for the first time here (RSSI {Rssi} dBm, SNR {Snr} dB)")]
    private static partial void LogFirstSeen(ILogger logger, string tag, double rssi, double snr);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "LoRa source {Source}: the SX1276 needs a reset ({Problem}); resetting and re-initialising")]
    private static partial void LogRecovering(ILogger logger, string source, string problem);
}
