using System.Text;
using Gateway.Agent.Composition;
using Gateway.Agent.Events;
using Gateway.Agent.Profiles;
using Gateway.Devices.Pps;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Gateway.TestKit.Io;
using Gateway.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Gateway.Agent.Tests.Support;

namespace Gateway.Agent.Tests.Composition;

/// <summary>
/// The gps source with a PPS line, composed as the agent composes it (SourceFactory, GpsComposition.DisciplineClock) on
/// the simulated hardware: the receiver's fixes and the PPS pulses of the same simulated seconds.
/// </summary>
public sealed class GpsPpsCompositionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a guard against hangs, not a timing assertion
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 5, 4, 10, 20, 30, 400, TimeSpan.Zero));
    private readonly TempDirectory _state = new("pps");
    private readonly ReadingPipeline _pipeline = new(new PipelineOptions { Capacity = 100_000 });
    private readonly CancellationTokenSource _stop = new();
    private readonly GatewayProfile _profile;
    private readonly SimulatedHardware _hardware;
    private readonly ClockDiscipline _clock;
    private readonly ReadingSource _gps;
    private readonly PpsEdgeReader _pps;

    public GpsPpsCompositionTests()
    {
        _profile = ProfileLoader.Parse(Encoding.UTF8.GetBytes("""
            {
              "gatewayId": "cp-pps", "hardware": "simulated",
              "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
              "broker": { "host": "127.0.0.1" },
              "sources": [ { "type": "gps", "name": "gps", "pps": { "gpioChip": 0, "line": 18 } } ],
              "time": { "source": "gps" }
            }
            """), "p.json");
        _hardware = new SimulatedHardware(_profile, _state.Path, _time);
        var sources = SourceFactory.Create(_profile, _hardware, new DeviceEnvironment(_state.Path, new NoEvents(), NullLoggerFactory.Instance));
        _gps = Assert.Single(sources);
        _clock = ClockComposition.Create(_profile, _time, NullLogger.Instance);
        _pps = Assert.Single(GpsComposition.DisciplineClock(sources, _clock));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _hardware.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task SimulatedReceiverWithPps_ClockReachesGpsPps_ConvertingToTheTrueSecond()
    {
        var running = Run();
        // The first pulse (10:20:31.000) comes before the receiver's first fix (31.150) and cannot be numbered.
        await AdvanceUntil(() => _pps.Statistics.EdgesRead == 1, running, until: _time.GetUtcNow().AddMilliseconds(620));
        Assert.Equal((0L, 1L), (_pps.Statistics.EdgesUsed, _pps.Statistics.EdgesRejected));

        // The next ones are numbered by the fixes and take the clock.
        await AdvanceUntil(() => _clock.Source == ClockSource.GpsPps, running);
        Assert.True(_pps.Statistics.EdgesUsed >= 1);
        Assert.Equal(_pps.Statistics.EdgesRead, _pps.Statistics.EdgesUsed + _pps.Statistics.EdgesRejected);
        Assert.Equal(0, _pps.Statistics.EdgesOverflowed);
        // The simulated receiver reports the provider's UTC, 150 ms late on the wire; the PPS-held clock does not
        // inherit that latency: a monotonic instant converts to exactly the provider's UTC at it.
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), _clock.ToUnixMilliseconds(_time.GetTimestamp()));
        Assert.True(_pipeline.Statistics.Accepted >= 1, "the gps source posts its positions as before");
    }

    [Fact]
    public async Task PpsChipUnplugged_PositionsContinue_ClockFallsBackToGps_AndPpsReturnsWhenPluggedIn()
    {
        var running = Run();
        await AdvanceUntil(() => _clock.Source == ClockSource.GpsPps, running);
        var chip = Assert.IsType<SimulatedGpioChip>(_hardware.GpioChip(0));

        chip.Unplug();
        var positions = _pipeline.Statistics.Accepted;
        // After PpsTimeout (10 s) without an edge, GPS fixes hold the clock again; the source itself never stopped.
        await AdvanceUntil(() => _clock.Source == ClockSource.Gps && _pipeline.Statistics.Accepted >= positions + 10, running);
        var used = _pps.Statistics.EdgesUsed;

        chip.PlugIn(); // the supervisor's next attempt (backoff 1 s doubling) requests the line again
        await AdvanceUntil(() => _clock.Source == ClockSource.GpsPps && _pps.Statistics.EdgesUsed > used, running);
        Assert.False(running.IsCompleted);
    }

    private Task Run()
    {
        var context = new SourceContext(new SourceId(0), _pipeline, _time, NullLogger.Instance);
        return _gps.RunAsync(context, _stop.Token);
    }

    /// <summary>
    /// Moves simulated time in small steps, letting the sources' continuations run, until the condition holds; never
    /// past <paramref name="until"/>, where it waits (real time, bounded) for the continuations instead.
    /// </summary>
    private async Task AdvanceUntil(Func<bool> condition, Task running, DateTimeOffset? until = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (running.IsCompleted) await running;
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            var step = until is { } limit ? Min(Step, limit - _time.GetUtcNow()) : Step;
            if (step > TimeSpan.Zero) _time.Advance(step);
            await Task.Delay(2);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
