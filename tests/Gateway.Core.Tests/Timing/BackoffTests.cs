using Gateway.Core.Timing;

namespace Gateway.Core.Tests.Timing;

public sealed class BackoffTests
{
    [Fact]
    public void Next_WithoutJitter_DoublesFromMinUpToMax()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        var delays = Enumerable.Range(0, 9).Select(_ => backoff.Next().TotalSeconds).ToList();
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], delays);
        Assert.Equal(9, backoff.Failures);
    }

    [Fact]
    public void Reset_StartsAgainFromMin()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        backoff.Next();
        backoff.Next();
        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.999999, 0.5)]
    [InlineData(0.5, 0.75)]
    public void Next_EqualJitter_TakesUpToHalfOff(double random, double fraction)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(60), jitter: 0.5, random: () => random);
        Assert.Equal(4 * fraction, backoff.Next().TotalSeconds, 3);
    }

    [Fact]
    public void Delay_ManyFailures_NeverOverflows()
    {
        Assert.Equal(TimeSpan.FromDays(1), Backoff.Delay(TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), int.MaxValue));
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.MaxValue);
        for (var i = 0; i < 100; i++) Assert.True(backoff.Next() > TimeSpan.Zero);
    }

    [Fact]
    public void Constructor_RefusesLimitsThatMakeNoSense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), jitter: 1.5));
    }
}
