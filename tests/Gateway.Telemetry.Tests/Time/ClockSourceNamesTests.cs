using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Tests.Time;

public sealed class ClockSourceNamesTests
{
    [Theory]
    [InlineData(ClockSource.None, "none")]
    [InlineData(ClockSource.SystemClock, "system")]
    [InlineData(ClockSource.Gps, "gps")]
    [InlineData(ClockSource.GpsPps, "gps+pps")]
    public void Name_IsTheSelfMetricsName(ClockSource source, string name)
    {
        Assert.Equal(name, source.Name());
        Assert.Equal(name, ClockSourceNames.All[(int)source]);
    }

    [Fact]
    public void All_HasOneNamePerSource()
    {
        Assert.Equal(Enum.GetValues<ClockSource>().Length, ClockSourceNames.All.Count);
    }
}
