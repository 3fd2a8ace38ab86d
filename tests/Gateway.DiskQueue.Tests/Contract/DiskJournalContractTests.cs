using Gateway.DiskQueue;
using Gateway.DiskQueue.Disk;
using Gateway.TestKit.Io;

namespace Gateway.DiskQueue.Tests.Contract;

public sealed class DiskJournalContractTests : JournalContractTests
{
    private readonly TempDirectory _dir = new("journal");

    protected override Journal Create(long quotaBytes) => DiskJournal.Open(new DiskJournalOptions
    {
        Directory = _dir.Path,
        SegmentBytes = Math.Max(4096, quotaBytes / 8),
        QuotaBytes = quotaBytes,
        MinFreeDiskBytes = 0,
    });

    public override void Dispose()
    {
        _dir.Dispose();
        base.Dispose();
    }
}
