using System.Text;
using Gateway.Agent.Uplink;
using Gateway.DiskQueue;
using Gateway.DiskQueue.Memory;
using Gateway.TestKit.Io;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Tests.Uplink;

public sealed class CounterCheckpointTests
{
    private static readonly SourceId Counter = new SourceRegistry().Register("seq", Measurements.Counter).Id;

    [Fact]
    public void NothingPersisted_StartsAtOne()
    {
        using var dir = new TempDirectory();
        using var journal = new MemoryJournal(1 << 20);
        Assert.Equal(1, CounterCheckpoint.ResolveNext(dir.Path, "seq", journal));
    }

    [Fact]
    public void Commit_PersistsTheNextSeqAfterTheHighestObserved()
    {
        using var dir = new TempDirectory();
        using var journal = new MemoryJournal(1 << 20);
        using (var checkpoint = new CounterCheckpoint(dir.Path, [(Counter, "seq", 1)]))
        {
            foreach (var seq in new[] { 1, 2, 3 }) checkpoint.Observe(Reading(seq));
            Assert.Equal(1, CounterCheckpoint.ResolveNext(dir.Path, "seq", journal)); // not committed yet
            checkpoint.Commit();
        }
        Assert.Equal(4, CounterCheckpoint.ResolveNext(dir.Path, "seq", journal));
    }

    [Fact]
    public void NewestJournalRecord_AheadOfTheFile_Wins()
    {
        // A kill between the journal's append and the checkpoint's write: the journal knows better.
        using var dir = new TempDirectory();
        using var journal = new MemoryJournal(1 << 20);
        using (var checkpoint = new CounterCheckpoint(dir.Path, [(Counter, "seq", 1)]))
        {
            checkpoint.Observe(Reading(10));
            checkpoint.Commit();
        }
        journal.Append(JournalLane.Telemetry, Encoding.UTF8.GetBytes(
            "counter,gateway=g,sensor=seq seq=11i 1\ncounter,gateway=g,sensor=other seq=99i 2\ncounter,gateway=g,sensor=seq seq=12i 3\n"), 3);
        Assert.Equal(13, CounterCheckpoint.ResolveNext(dir.Path, "seq", journal));
        Assert.Equal(100, CounterCheckpoint.ResolveNext(dir.Path, "other", journal));
    }

    [Fact]
    public void DamagedCheckpointFile_IsIgnored()
    {
        using var dir = new TempDirectory();
        using var journal = new MemoryJournal(1 << 20);
        File.WriteAllBytes(Path.Combine(dir.Path, "counter-seq.next"), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        Assert.Equal(1, CounterCheckpoint.ResolveNext(dir.Path, "seq", journal));
    }

    private static Reading Reading(long seq) => new(Counter, 0, ReadingValues.From([seq]));
}
