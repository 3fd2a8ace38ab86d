using System.Threading.Channels;
using Gateway.Agent.Chrony;
using Gateway.Agent.Profiles;
using Gateway.Hardware.Clock;
using Gateway.Telemetry.Pipeline;
using Gateway.Telemetry.Readings;
using Gateway.Telemetry.Time;
using Microsoft.Extensions.Logging;

namespace Gateway.Agent.Composition;

/// <summary>
/// Builds the agent's clock from the profile's <c>time</c> section (DESIGN §4.2): the discipline and its source
/// policy, the gate that holds readings until the first sync, and the watch that trusts the system clock once it is
/// synchronised. GPS fixes are wired by <see cref="GpsComposition.DisciplineClock"/>.
/// </summary>
public static partial class ClockComposition
{
    /// <summary>How often the kernel's NTP state is asked while the system clock is not yet trusted: one cheap syscall.</summary>
    public static readonly TimeSpan SystemClockPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>The discipline with the profile's source policy (<c>time.source</c>); each step of it (first sync, a
    /// source change) is logged once.</summary>
    public static ClockDiscipline Create(GatewayProfile profile, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var clock = new ClockDiscipline(time, new ClockDisciplineOptions { Sources = profile.Time.Source });
        clock.Stepped += step =>
        {
            if (step.Previous == ClockSource.None) LogSynchronized(logger, step.Source, step.Correction.TotalSeconds);
            else LogStepped(logger, step.Previous, step.Source, step.Correction.TotalMilliseconds);
        };
        return clock;
    }

    /// <summary>The feed of chronyd's <c>refclock SOCK</c> sockets the profile names (<c>time.chronySocket</c>...), or null.</summary>
    public static ChronyFeed? Chrony(GatewayProfile profile, ClockDiscipline clock, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var t = profile.Time;
        if (t.ChronySocket is null && t.ChronyPpsSocket is null) return null;
        return new ChronyFeed(t.ChronySocket is { } g ? new ChronySocket(g, logger) : null,
            t.ChronyPpsSocket is { } p ? new ChronySocket(p, logger) : null, clock, time);
    }

    /// <summary>
    /// How far the system clock is from GPS time now, in seconds (positive: the system clock is behind), once the clock
    /// follows GPS; null before (from the system clock itself it would say 0 and mean nothing).
    /// </summary>
    public static double? SystemClockOffsetSeconds(ClockDiscipline clock, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(time);
        if (clock.Source < ClockSource.Gps) return null;
        var monotonic = time.GetTimestamp();
        var system = time.GetUtcNow().ToUnixTimeMilliseconds();
        return (clock.ToUnixMilliseconds(monotonic) - system) / 1000.0;
    }

    /// <summary>The batcher's input: the pipeline's readings, held until the first sync within the profile's bounds.</summary>
    public static ClockGate Gate(ChannelReader<Reading> pipeline, ClockDiscipline clock, GatewayProfile profile, TimeProvider time) =>
        new(pipeline, clock, HoldOptions(profile), time);

    /// <summary>How long, and how many, readings and events captured before the first sync are held for it.</summary>
    public static ClockGateOptions HoldOptions(GatewayProfile profile) =>
        new() { MaxReadings = profile.Time.HoldMaxReadings, MaxAge = profile.Time.HoldMaxAge };

    /// <summary>
    /// Trusts the system clock when the profile allows it: at once (<c>systemClock: always</c>), or as soon as the
    /// kernel reports NTP synchronisation, asked every <see cref="SystemClockPollInterval"/>. Returns when the system
    /// clock was offered, when GPS got there first (it outranks the system clock for good), or when cancelled.
    /// </summary>
    /// <param name="clock">The discipline offered the system clock.</param>
    /// <param name="profile">Its <c>time.systemClock</c> says whether and when to trust the system clock.</param>
    /// <param name="time">The clock the polls wait on.</param>
    /// <param name="logger">Says once when the system clock was trusted, or why not yet.</param>
    /// <param name="cancellationToken">Ends the wait (the agent stops).</param>
    /// <param name="kernelSynchronized">The kernel's answer; <see cref="KernelClock.IsSynchronized"/> unless a test says otherwise.</param>
    public static async Task TrustSystemClockAsync(ClockDiscipline clock, GatewayProfile profile, TimeProvider time, ILogger logger,
        CancellationToken cancellationToken, Func<bool>? kernelSynchronized = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Time.Source == TimeSourcePolicy.Gps) return;
        if (profile.Time.ResolveSystemClock(profile.Hardware) == SystemClockTrust.Always)
        {
            clock.SynchronizeFromSystemClock();
            return;
        }
        kernelSynchronized ??= KernelClock.IsSynchronized;
        LogWaitingForNtp(logger, profile.Time.Source == TimeSourcePolicy.System ? "" : " or a GPS fix");
        while (clock.Source < ClockSource.Gps)
        {
            try
            {
                if (kernelSynchronized())
                {
                    clock.SynchronizeFromSystemClock();
                    return;
                }
            }
            catch (IOException ex)
            {
                LogKernelClockUnavailable(logger, ex.Message);
                return;
            }
            try
            {
                await Task.Delay(SystemClockPollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Clock synchronised from {Source}; the system clock was {Seconds:0.###} s off (positive: behind)")]
    private static partial void LogSynchronized(ILogger logger, ClockSource source, double seconds);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Clock stepped by {Milliseconds:0.###} ms: {Source} took over from {Previous}")]
    private static partial void LogStepped(ILogger logger, ClockSource previous, ClockSource source, double milliseconds);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Waiting for the kernel to report the system clock NTP-synchronised{OrGps}; readings are held until then (time.holdMaxSeconds)")]
    private static partial void LogWaitingForNtp(ILogger logger, string orGps);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Cannot tell whether the system clock is synchronised, so it is never trusted: {Reason}")]
    private static partial void LogKernelClockUnavailable(ILogger logger, string reason);
}
