using Microsoft.Extensions.Logging;
using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// A full file system (ENOSPC: no blocks, or no inodes left) and the other write failures. The quota and the free-disk
/// floor normally keep the journal clear of ENOSPC, but the floor is only checked at rolls and on the timer, and other
/// writers share the card: when the kernel refuses a write for space anyway, the journal frees the oldest telemetry
/// segment and tries again, so that it is always the oldest telemetry that goes, never the newest batch.
/// </summary>
/// <remarks>
/// The reserve: a file of <see cref="ReserveBytes"/> (one block and one inode's worth, and then some) kept in the
/// journal's directory while there is room. Telemetry never uses it; when an event or the cursor meets ENOSPC with no
/// telemetry left to free, the reserve is deleted so that the <c>data_loss</c> event and the cursor still get written.
/// The timer puts it back once there is room again.
/// </remarks>
public sealed partial class DiskJournal
{
    /// <summary>64 KiB: a few hundred events (about 200 bytes each) plus the cursor's 16 bytes and its temporary file.</summary>
    public const int ReserveBytes = 64 * 1024;

    private bool _noSpaceEpisode;

    private string ReservePath => Path.Combine(_options.Directory, "reserve");

    /// <summary>A full file system (<see cref="FileErrors.IsNoSpace"/>), but not the journal's own failure that wraps one.</summary>
    private static bool IsNoSpace(IOException ex) => FileErrors.IsNoSpace(ex) && ex is not JournalFailedException;

    /// <summary>
    /// After ENOSPC: frees the oldest sealed telemetry segment (counting its unsent readings as dropped), or for an event
    /// or the cursor (<paramref name="lane"/> null) the reserve. False when nothing may be freed: the write is refused.
    /// </summary>
    private bool FreeSpaceAfterNoSpace(JournalLane? lane, IOException ex)
    {
        if (!_noSpaceEpisode)
        {
            _noSpaceEpisode = true;
            LogNoSpace(_logger, _options.Directory, ex.Message);
        }
        var telemetry = _lanes[(int)JournalLane.Telemetry];
        if (telemetry.Segments.Count > 1 && DropOldest(telemetry)) return true;
        if (lane != JournalLane.Telemetry && File.Exists(ReservePath))
        {
            File.Delete(ReservePath);
            LogReserveReleased(_logger, _options.Directory);
            return true;
        }
        return false;
    }

    /// <summary>
    /// An ENOSPC episode (one log line, one drop episode) lasts until the file system has room for two segments and the
    /// free-disk floor again, as seen by the timer: not merely until the next write happens to fit.
    /// </summary>
    private void EndNoSpaceEpisodeIfRoom()
    {
        if (_noSpaceEpisode && DiskFreeBytes >= Math.Max(_options.MinFreeDiskBytes, 2 * _options.SegmentBytes)) _noSpaceEpisode = false;
    }

    /// <summary>Creates the reserve if it is missing and there is room for it (start-up and every timer tick).</summary>
    private void EnsureReserve()
    {
        if (File.Exists(ReservePath)) return;
        try
        {
            // AtomicFile removes its partial temp file on failure: it must not hold what little space there is.
            AtomicFile.WriteAllBytes(ReservePath, new byte[ReserveBytes], AtomicFile.Readable);
        }
        catch (IOException ex) when (IsNoSpace(ex))
        {
            // Still full: try again on the next tick.
        }
    }

    /// <summary>A write failure that freeing space does not cure: the journal is failed for good (see <see cref="Journal.Failed"/>).</summary>
    private JournalFailedException Fail(string path, Exception ex)
    {
        var failure = Fail(new JournalFailedException(
            $"The journal cannot write {path}: {ex.Message} (the SD card was remounted read-only after an error, is failing, or " +
            "its permissions changed). Check dmesg and the card; nothing more can be made durable until the agent restarts.", ex));
        LogFailed(_logger, path, ex.Message);
        return failure;
    }

    [LoggerMessage(EventId = 4109, Level = LogLevel.Warning, Message = "Journal {Directory}: the file system is full ({Reason}); dropping the oldest telemetry segment to make room. Logged once until the journal has room again")]
    private static partial void LogNoSpace(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Journal {Directory}: no telemetry left to free; the 64 KiB reserve was released so that events and the cursor are still written")]
    private static partial void LogReserveReleased(ILogger logger, string directory);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Critical, Message = "Journal write to {Path} failed: {Reason}; the journal cannot write any more (read-only or failing card). Check dmesg and the SD card")]
    private static partial void LogFailed(ILogger logger, string path, string reason);
}
