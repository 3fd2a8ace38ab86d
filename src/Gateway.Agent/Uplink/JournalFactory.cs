using Gateway.Agent.Profiles;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.DiskQueue.Memory;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Uplink;

/// <summary>Opens the journal the profile asks for; a disk journal lives under the state directory unless its path is absolute.</summary>
public static class JournalFactory
{
    public static Journal Open(GatewayProfile profile, string stateDirectory, TimeProvider time, ILogger logger)
    {
        var j = profile.Journal;
        if (j.Type == JournalType.Memory) return new MemoryJournal(profile.Pipeline.BufferMaxBytes, time);
        return DiskJournal.Open(new DiskJournalOptions
        {
            Directory = Path.Combine(stateDirectory, j.Directory),
            SegmentBytes = j.SegmentBytes,
            QuotaBytes = j.QuotaBytes,
            MinFreeDiskBytes = j.MinFreeBytes,
            Fsync = j.Fsync,
            FsyncInterval = j.FsyncInterval,
            FsyncBytes = j.FsyncBytes,
            TimeProvider = time,
        }, logger);
    }
}
