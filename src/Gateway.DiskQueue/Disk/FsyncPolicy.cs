namespace Gateway.DiskQueue.Disk;

/// <summary>
/// When the journal forces appended records to the SD card (fsync). Every policy survives the agent being killed
/// (<c>kill -9</c>, an OOM kill, a crash): an append returns after the write() into the kernel's page cache, which
/// outlives the process. They differ on a power cut, which loses what is in the page cache and not yet synced.
/// </summary>
public enum FsyncPolicy : byte
{
    /// <summary>fsync after every appended batch (group commit of the batch's readings): a power cut loses nothing
    /// the journal accepted. Costs one flash write per batch; wears an SD card fastest.</summary>
    Batch,

    /// <summary>fsync at most every <see cref="DiskJournalOptions.FsyncInterval"/> (default 1 s) while there is
    /// unsynced data: a power cut loses at most the last interval's batches.</summary>
    Interval,

    /// <summary>fsync when <see cref="DiskJournalOptions.FsyncBytes"/> unsynced bytes have accumulated (and at least
    /// every interval while idle): a power cut loses at most that many bytes of batches.</summary>
    Bytes,
}
