using Gateway.Core.Counters;

namespace Gateway.Core.Tests.Counters;

public sealed class AtomicCounterTests
{
    private const int Threads = 4;
    private const int PerThread = 5_000_000;

    // Broken to a plain `_value++`, a round loses updates on most runs of this 2-core machine under load, not on
    // every one (threads may not overlap at all); three rounds make a miss unlikely. A correct counter never fails.
    [Fact]
    public void IncrementAndAdd_FromSeveralThreads_GiveTheExactSum()
    {
        for (var round = 0; round < 3; round++)
        {
            var counter = new AtomicCounter();
            RunTogether(_ =>
            {
                // Tight loops, each on its own, so that a non-atomic read-modify-write loses updates under contention.
                for (var i = 0; i < PerThread; i++) counter.Increment();
                for (var i = 0; i < PerThread; i++) counter.Add(2);
            });
            Assert.Equal(3L * Threads * PerThread, counter.Value);
        }
    }

    // Broken to a plain compare-then-store, a round keeps a smaller value on some runs only: rounds, as above.
    [Fact]
    public void Maximum_FromSeveralThreads_KeepsTheLargestAndTakeResetsIt()
    {
        var largest = ((long)Threads * PerThread) - 1;
        for (var round = 0; round < 3; round++)
        {
            var maximum = new AtomicMaximum();
            // Interleaved rising values: every thread races the others' larger ones; the last thread holds the largest.
            RunTogether(t =>
            {
                for (var i = 0; i < PerThread; i++) maximum.Observe((i * (long)Threads) + t);
            });
            Assert.Equal(largest, maximum.Value);
            maximum.Observe(5);
            Assert.Equal(largest, maximum.Value);
            Assert.Equal(largest, maximum.Take());
            Assert.Equal(0, maximum.Value);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on <see cref="Threads"/> threads that spin (not block) until all have arrived, so
    /// that they start together and really overlap; a blocking barrier lets the last one run alone while others wake.
    /// </summary>
    private static void RunTogether(Action<int> body)
    {
        var arrived = 0;
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            Interlocked.Increment(ref arrived);
            while (Volatile.Read(ref arrived) < Threads) Thread.SpinWait(1);
            body(t);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
    }
}
