using System.Text;
using Gateway.Agent.Composition;
using Gateway.Agent.Profiles;
using Gateway.TestKit.Time;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Agent.Tests.Composition;

/// <summary>When the agent trusts the system clock: never before the kernel says NTP has synchronised it (unless told to).</summary>
public sealed class ClockCompositionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20); // a guard against hangs, not a timing assertion
    private static readonly DateTimeOffset Behind = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero); // fake-hwclock's guess

    private readonly ManualTimeProvider _time = new(Behind);

    private static GatewayProfile Profile(string source, string systemClock) => ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
        {
          "gatewayId": "cp-1",
          "site": { "name": "Alpha", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" },
          "sources": [ { "type": "counter", "name": "seq", "ratePerSecond": 5 } ],
          "time": { "source": "{{source}}", "systemClock": "{{systemClock}}" }
        }
        """), "p.json");

    private async Task<(ClockDiscipline Clock, Task Run)> Trust(GatewayProfile profile, Func<bool> kernel, Func<ClockDiscipline, Task, Task>? meanwhile = null)
    {
        var clock = ClockComposition.Create(profile, _time, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var run = ClockComposition.TrustSystemClockAsync(clock, profile, _time, NullLogger.Instance, stop.Token, kernel);
        if (meanwhile is not null) await meanwhile(clock, run);
        var finishedByItself = run.IsCompleted;
        await stop.CancelAsync();
        await run.WaitAsync(Patience);
        return (clock, finishedByItself ? Task.CompletedTask : Task.FromCanceled(stop.Token));
    }

    /// <summary>
    /// Moves time a second at a time until <paramref name="condition"/> holds. The poll loop re-arms its delay on a pool
    /// thread after each tick, so time must move in steps that let it catch up, not in one jump.
    /// </summary>
    private async Task AdvanceUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Ntp_TrustsTheSystemClockOnlyOnceTheKernelSaysSynchronised()
    {
        var synced = false;
        var polls = 0;
        var (clock, _) = await Trust(Profile("gps-or-system", "ntp"), () => { Interlocked.Increment(ref polls); return synced; }, async (clock, _) =>
        {
            await AdvanceUntil(() => Volatile.Read(ref polls) >= 3);
            Assert.False(clock.IsSynchronized);
            // timesyncd reaches a server: it steps the clock 9 months forward and clears STA_UNSYNC.
            _time.JumpUtc(TimeSpan.FromDays(270));
            synced = true;
            await AdvanceUntil(() => clock.IsSynchronized);
        });
        Assert.Equal(ClockSource.SystemClock, clock.Source);
        long now = _time.GetTimestamp();
        Assert.Equal(Behind.AddDays(270).ToUnixTimeMilliseconds() + now / TimeSpan.TicksPerMillisecond, clock.ToUnixMilliseconds(now));
    }

    [Fact]
    public async Task Ntp_StopsAskingOnceGpsHasTheClock()
    {
        var polls = 0;
        var (clock, run) = await Trust(Profile("gps-or-system", "ntp"), () => { Interlocked.Increment(ref polls); return false; }, async (clock, run) =>
        {
            await AdvanceUntil(() => Volatile.Read(ref polls) >= 2);
            clock.Synchronize(Behind.AddDays(270), _time.GetTimestamp(), ClockSource.Gps);
            await AdvanceUntil(() => run.IsCompleted);
        });
        Assert.True(run.IsCompletedSuccessfully); // ended by itself, before the test cancelled it
        Assert.Equal(ClockSource.Gps, clock.Source);
        Assert.InRange(polls, 2, 3);
    }

    [Fact]
    public async Task GpsPolicy_NeverTrustsTheSystemClock()
    {
        var polls = 0;
        var (clock, _) = await Trust(Profile("gps", "always"), () => { polls++; return true; }, async (_, _) => await AdvanceUntil(() => _time.GetTimestamp() > TimeSpan.TicksPerMinute));
        Assert.False(clock.IsSynchronized);
        Assert.Equal(0, polls);
    }

    [Fact]
    public async Task Always_TrustsTheSystemClockAtOnce_WithoutAskingTheKernel()
    {
        var (clock, _) = await Trust(Profile("system", "always"), () => throw new InvalidOperationException("not asked"));
        Assert.Equal(ClockSource.SystemClock, clock.Source);
    }

    [Fact]
    public async Task KernelCannotBeAsked_TheSystemClockIsNeverTrusted()
    {
        var (clock, run) = await Trust(Profile("system", "ntp"), () => throw new IOException("adjtimex(2) failed with errno 1"));
        Assert.False(clock.IsSynchronized);
        Assert.True(run.IsCompletedSuccessfully); // it gave up by itself, at once
    }
}
