using System.Globalization;
using System.Text.Json;
using Gateway.Core.Files;

namespace Gateway.Agent.Systemd;

/// <summary>A moment's view of the uplink and the clock, for <c>gatewayctl status</c>.</summary>
/// <param name="ClockSource">What the readings' timestamps come from: none, system, gps or gps+pps (ClockSourceNames).</param>
/// <param name="ClockHeld">Readings waiting for the first clock sync (none once the clock is synchronised).</param>
/// <param name="SystemClockOffset">GPS time minus the system clock, seconds, once the clock follows GPS.</param>
/// <param name="ChronyFailed">Samples chronyd could not be given (null: chrony is not fed).</param>
public readonly record struct UplinkSnapshot(bool Connected, int BacklogBatches, long BacklogBytes, long PublishedBatches, long DroppedReadings,
    string ClockSource = "none", long ClockHeld = 0, double? SystemClockOffset = null, long? ChronyFailed = null);

/// <summary>
/// <c>$RUNTIME_DIRECTORY/status.json</c> (systemd's RuntimeDirectory=, a tmpfs under /run: rewriting it every watchdog
/// tick costs the SD card nothing), read by <c>gatewayctl status</c> over SSH: connection, backlog, last publish, clock source.
/// </summary>
public sealed class StatusFile(string path, TimeProvider time)
{
    private long _lastPublished = -1;
    private DateTimeOffset? _lastPublishAt;

    /// <summary>The file in <c>$RUNTIME_DIRECTORY</c>, or null when systemd gave none.</summary>
    public static StatusFile? FromEnvironment(TimeProvider time) =>
        Environment.GetEnvironmentVariable("RUNTIME_DIRECTORY") is { Length: > 0 } dir
            ? new StatusFile(Path.Combine(dir.Split(':')[0], "status.json"), time) : null;

    public string FilePath { get; } = path;

    public void Write(UplinkSnapshot s)
    {
        var now = time.GetUtcNow();
        if (_lastPublished >= 0 && s.PublishedBatches > _lastPublished) _lastPublishAt = now;
        _lastPublished = s.PublishedBatches;
        var json = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["updated"] = now.ToString("O", CultureInfo.InvariantCulture),
            ["connected"] = s.Connected,
            ["backlog_batches"] = s.BacklogBatches,
            ["backlog_bytes"] = s.BacklogBytes,
            ["published_batches"] = s.PublishedBatches,
            ["last_publish"] = _lastPublishAt?.ToString("O", CultureInfo.InvariantCulture),
            ["dropped_readings"] = s.DroppedReadings,
            ["clock_source"] = s.ClockSource,
            ["clock_held"] = s.ClockHeld,
            ["system_clock_offset_s"] = s.SystemClockOffset,
            ["chrony_failed"] = s.ChronyFailed,
        });
        try
        {
            // On tmpfs the fsyncs cost nothing; the one replacement sequence keeps every state file alike.
            AtomicFile.WriteAllText(FilePath, json, AtomicFile.Readable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Diagnostics only: a full or missing /run must never disturb the pipeline.
        }
    }
}
