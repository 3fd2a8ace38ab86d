using Gateway.DiskQueue;
using Gateway.DiskQueue.Memory;

namespace Gateway.DiskQueue.Tests.Contract;

public sealed class MemoryJournalContractTests : JournalContractTests
{
    protected override Journal Create(long quotaBytes) => new MemoryJournal(quotaBytes);
}
