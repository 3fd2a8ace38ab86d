using Gateway.TestKit.Time;
using Gateway.Telemetry.Time;

namespace Gateway.Telemetry.Tests.Time;

/// <summary>PPS edges numbered by the last GPS fix refine the offset from NMEA's tens of milliseconds to the edge.</summary>
public class ClockDisciplinePpsTests
{
    private static readonly DateTimeOffset S = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long SMs = S.ToUnixTimeMilliseconds();
    private const long Second = TimeSpan.TicksPerSecond;
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly ManualTimeProvider _time = new(S);
    private readonly ClockDiscipline _clock;

    public ClockDisciplinePpsTests() => _clock = new ClockDiscipline(_time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.Gps });

    // Monotonic 100 s is the true start of second S; the receiver's sentences for S arrive `latency` after it.
    private const long EdgeOfS = 100 * Second;

    [Theory]
    [InlineData(0, 0)]      // the edge that starts S, before the fix's first byte
    [InlineData(1, 1)]      // the next edge, after the fix: S + 1
    public void Edge_NumberedByTheFix_SetsTheOffsetToTheEdge(int edgeIndex, int expectedSecond)
    {
        _clock.Synchronize(S, EdgeOfS + 350 * Ms, ClockSource.Gps); // 350 ms of NMEA latency
        Assert.Equal(SMs - 350, _clock.ToUnixMilliseconds(EdgeOfS));  // NMEA alone: early by the latency

        long edge = EdgeOfS + edgeIndex * Second;
        Assert.True(_clock.SynchronizeToPpsEdge(edge));
        Assert.Equal(SMs + expectedSecond * 1000, _clock.ToUnixMilliseconds(edge));
        Assert.Equal(SMs, _clock.ToUnixMilliseconds(EdgeOfS));
        Assert.Equal(ClockSource.GpsPps, _clock.Source);
        Assert.Equal(2, _clock.Steps); // the first fix, then PPS taking over
    }

    [Theory]
    [InlineData(1)]      // a receiver that is very quick
    [InlineData(990)]    // or very slow: still below a second
    public void FractionalFixTimes_AndAnyLatencyBelowASecond_NumberTheEdgeCorrectly(int latencyMs)
    {
        // A 5 Hz receiver: the fix for S.2 arrives 200 ms plus its latency after the edge of S.
        _clock.Synchronize(S.AddMilliseconds(200), EdgeOfS + (200 + latencyMs) * Ms, ClockSource.Gps);
        Assert.True(_clock.SynchronizeToPpsEdge(EdgeOfS));
        Assert.Equal(SMs, _clock.ToUnixMilliseconds(EdgeOfS));
    }

    [Fact]
    public void EdgeWithoutARecentFix_IsRejected()
    {
        Assert.False(_clock.SynchronizeToPpsEdge(EdgeOfS)); // no fix at all
        _clock.Synchronize(S, EdgeOfS + 300 * Ms, ClockSource.Gps);
        Assert.False(_clock.SynchronizeToPpsEdge(EdgeOfS + 3 * Second)); // too long after the fix to be numbered by it
        Assert.False(_clock.SynchronizeToPpsEdge(EdgeOfS - 2 * Second));
        Assert.Equal(3, _clock.PpsEdgesRejected);
        Assert.Equal(ClockSource.Gps, _clock.Source);
    }

    [Fact]
    public void WhilePpsHoldsTheClock_NmeaJitterIsIgnored_AndAfterThePulsesStopNmeaSteersAgain()
    {
        for (int i = 0; i < 5; i++)
        {
            // NMEA latency jumping between 100 and 600 ms: irrelevant once the edges are used.
            _clock.Synchronize(S.AddSeconds(i), EdgeOfS + i * Second + (i % 2 == 0 ? 100 : 600) * Ms, ClockSource.Gps);
            Assert.True(_clock.SynchronizeToPpsEdge(EdgeOfS + i * Second + 3)); // 300 ns of edge jitter
        }
        Assert.Equal(SMs + 4_000, _clock.ToUnixMilliseconds(EdgeOfS + 4 * Second + 3));
        Assert.Equal(2, _clock.Steps);
        Assert.Equal(5, _clock.PpsEdges);

        // The pulses stop (the receiver lost the fix); fixes return 30 s later with 250 ms latency. Within the PPS
        // timeout they are only labels; after it they steer again, by slewing (a lower-ranked source never steps).
        _clock.Synchronize(S.AddSeconds(34), EdgeOfS + 34 * Second + 250 * Ms, ClockSource.Gps);
        Assert.Equal(ClockSource.Gps, _clock.Source);
        Assert.Equal(2, _clock.Steps);
        Assert.Equal(SMs + 34_000, _clock.ToUnixMilliseconds(EdgeOfS + 34 * Second + 3));
        Assert.Equal(SMs + 134_000 - 50, _clock.ToUnixMilliseconds(EdgeOfS + 134 * Second + 3)); // 100 s later: 50 ms slewed
    }

    [Fact]
    public void SystemPolicy_RejectsPps()
    {
        var clock = new ClockDiscipline(_time, new ClockDisciplineOptions { Sources = TimeSourcePolicy.System });
        Assert.False(clock.SynchronizeToPpsEdge(EdgeOfS));
        Assert.Equal(1, clock.PpsEdgesRejected);
    }
}
