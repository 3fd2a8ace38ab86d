using System.Diagnostics;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Readings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Devices.Tests.Support;

/// <summary>Runs a source over a <see cref="ManualTimeProvider"/> and advances time until the sink holds enough.</summary>
public static class SourceRunner
{
    public static SourceContext Context(RecordingSink sink, TimeProvider time) =>
        new(new SourceId(3), sink, time, NullLogger.Instance);

    /// <summary>
    /// Advances <paramref name="time"/> by <paramref name="step"/> until <paramref name="done"/> holds, giving the
    /// source's continuations a moment to run after each step; fails after 10 s of real time instead of hanging.
    /// </summary>
    public static async Task AdvanceUntilAsync(ManualTimeProvider time, TimeSpan step, Func<bool> done, Task running)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (running.IsCompleted) await running; // surfaces the source's exception
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the source did not produce the expected readings in time");
            time.Advance(step);
            await Task.Delay(1);
        }
    }

    /// <summary>Waits (real time, bounded) for the source's continuations to reach <paramref name="done"/>.</summary>
    public static async Task WaitForAsync(Func<bool> done, Task running)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            if (running.IsCompleted) await running;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the source did not catch up in time");
            await Task.Delay(1);
        }
    }

    /// <summary>
    /// Runs <paramref name="source"/> on a recording sink, advancing <paramref name="time"/> by <paramref name="step"/>
    /// until it has posted <paramref name="count"/> readings, stops it as the agent does, and returns all it posted.
    /// </summary>
    public static async Task<IReadOnlyList<Reading>> CollectAsync(ReadingSource source, ManualTimeProvider time, TimeSpan step, int count)
    {
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource();
        var running = source.RunAsync(Context(sink, time), cts.Token);
        await AdvanceUntilAsync(time, step, () => sink.Count >= count, running);
        await StopAsync(cts, running);
        return sink.Snapshot();
    }

    /// <summary>Stops a running source as the agent does (cancellation) and checks that it ends by that cancellation.</summary>
    public static async Task StopAsync(CancellationTokenSource cts, Task running)
    {
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }
}
