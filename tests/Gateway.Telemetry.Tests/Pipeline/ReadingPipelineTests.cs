using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;

namespace Gateway.Telemetry.Tests.Pipeline;

public class ReadingPipelineTests
{
    private static Reading R(double seq) => new(new SourceId(0), (long)seq, ReadingValues.From([seq]));

    private static List<double> Drain(ReadingPipeline pipeline)
    {
        var seqs = new List<double>();
        while (pipeline.Reader.TryRead(out var r)) seqs.Add(r.Values[0]);
        return seqs;
    }

    [Fact]
    public void DropOldest_WhenFull_EvictsOldestAndCountsEachDrop()
    {
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 2, FullMode = PipelineFullMode.DropOldest });
        for (int i = 1; i <= 5; i++) Assert.True(pipeline.TryWrite(R(i)));
        Assert.Equal(5, pipeline.Statistics.Accepted);
        Assert.Equal(3, pipeline.Statistics.Dropped);
        Assert.Equal([4.0, 5.0], Drain(pipeline));
    }

    [Fact]
    public void DropNewest_WhenFull_RefusesTheOfferedReadingAndCountsIt()
    {
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 2, FullMode = PipelineFullMode.DropNewest });
        Assert.Equal([true, true, false, false, false], Enumerable.Range(1, 5).Select(i => pipeline.TryWrite(R(i))));
        Assert.Equal(2, pipeline.Statistics.Accepted);
        Assert.Equal(3, pipeline.Statistics.Dropped);
        Assert.Equal([1.0, 2.0], Drain(pipeline));
        Assert.True(pipeline.TryWrite(R(6)));
        Assert.Equal(3, pipeline.Statistics.Accepted);
    }

    [Fact]
    public void Defaults_AreDropOldestWith8192()
    {
        var options = new PipelineOptions();
        Assert.Equal(8192, options.Capacity);
        Assert.Equal(PipelineFullMode.DropOldest, options.FullMode);
    }

    [Fact]
    public async Task Complete_RefusesNewReadingsAndDrainsQueued()
    {
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 4 });
        Assert.True(pipeline.TryWrite(R(1)));
        pipeline.Complete();
        pipeline.Complete();
        Assert.False(pipeline.TryWrite(R(2)));
        Assert.Equal(1, pipeline.Statistics.RejectedAfterCompletion);
        Assert.Equal(0, pipeline.Statistics.Dropped);
        Assert.Equal([1.0], Drain(pipeline));
        await pipeline.Reader.Completion.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(PipelineFullMode.DropOldest)]
    [InlineData(PipelineFullMode.DropNewest)]
    public async Task ConcurrentWriters_CountersAccountForEveryReading(PipelineFullMode mode)
    {
        const int Writers = 4, PerWriter = 20_000;
        var pipeline = new ReadingPipeline(new PipelineOptions { Capacity = 64, FullMode = mode });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            int refused = 0;
            for (int i = 0; i < PerWriter; i++) if (!pipeline.TryWrite(R(i))) refused++;
            return refused;
        })).ToArray();
        long read = 0;
        while (!writers.All(t => t.IsCompleted)) while (pipeline.Reader.TryRead(out _)) read++;
        int refusedTotal = (await Task.WhenAll(writers)).Sum();
        read += Drain(pipeline).Count;

        var s = pipeline.Statistics;
        Assert.Equal(Writers * PerWriter, s.Accepted + refusedTotal);
        if (mode == PipelineFullMode.DropOldest)
        {
            Assert.Equal(0, refusedTotal);
            Assert.Equal(s.Accepted - s.Dropped, read);
        }
        else
        {
            Assert.Equal(refusedTotal, s.Dropped);
            Assert.Equal(s.Accepted, read);
        }
    }
}
