using Gateway.Core.Counters;

namespace Gateway.Core.Tests.Counters;

public sealed class AtomicCounterTests
{
    private const int Threads = 4;
    private const int PerThread = 100_000;

    [Fact]
    public void IncrementAndAdd_FromSeveralThreads_GiveTheExactSum()
    {
        var counter = new AtomicCounter();
        // A barrier starts the threads together so that their increments really overlap.
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < PerThread; i++)
            {
                counter.Increment();
                counter.Add(2);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(3L * Threads * PerThread, counter.Value);
    }

    [Fact]
    public void Maximum_FromSeveralThreads_KeepsTheLargestAndTakeResetsIt()
    {
        var maximum = new AtomicMaximum();
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            // Interleaved values: every thread sees others' larger ones, and thread 3 holds the largest (4 * PerThread - 1).
            for (var i = 0; i < PerThread; i++) maximum.Observe((i * Threads) + t);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal((Threads * PerThread) - 1L, maximum.Value);
        maximum.Observe(5);
        Assert.Equal((Threads * PerThread) - 1L, maximum.Value);
        Assert.Equal((Threads * PerThread) - 1L, maximum.Take());
        Assert.Equal(0, maximum.Value);
    }
}
