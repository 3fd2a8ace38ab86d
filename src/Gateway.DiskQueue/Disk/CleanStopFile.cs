using Gateway.Core.Files;

namespace Gateway.DiskQueue.Disk;

/// <summary>
/// The record of a clean stop: written by <see cref="DiskJournal"/>'s dispose after everything was synced, holding the
/// last id of each lane; taken (read and deleted) at the next open. With it, recovery knows that nothing was being
/// written when the journal closed, so a short last record, or records missing at the end, cannot be a power cut's torn
/// tail: they are damage, and every id up to the recorded last one that is not there is counted as lost.
/// A 24-byte <see cref="CheckedRecordFile"/>: telemetry last id (8, LE), event last id (8), CRC-32C of both (4), magic
/// "GWS1" (4). A partial or stale file fails its check and counts as no clean stop, which only means the torn-tail rule
/// applies.
/// </summary>
internal static class CleanStopFile
{
    private const uint Magic = 0x31535747;
    private const string Name = "clean-stop";

    public static void Write(string directory, long telemetryLastId, long eventLastId) =>
        CheckedRecordFile.Write(Path.Combine(directory, Name), Magic, [telemetryLastId, eventLastId]);

    /// <summary>
    /// Reads and deletes the record (durably, before anything is appended: a later crash must not look clean). Null
    /// when the last stop was not clean; else the last id per lane, indexed by <see cref="JournalLane"/>.
    /// </summary>
    public static long[]? Take(string directory)
    {
        var path = Path.Combine(directory, Name);
        var lastIds = new long[2];
        var found = CheckedRecordFile.Read(path, Magic, lastIds);
        if (found == CheckedRecord.Absent) return null;
        File.Delete(path);
        DirectorySync.Sync(directory);
        return found == CheckedRecord.Valid ? lastIds : null;
    }
}
