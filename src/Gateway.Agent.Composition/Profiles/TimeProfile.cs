using Gateway.Telemetry.Time;

namespace Gateway.Agent.Profiles;

/// <summary>
/// The optional <c>time</c> section (DESIGN §4.2; README "GPS and time"): which sources may set the clock, when the
/// system clock counts as synchronised, and how long readings captured before the first sync wait for it.
/// </summary>
/// <param name="Source"><c>gps</c>, <c>system</c> or <c>gps-or-system</c> (default).</param>
/// <param name="SystemClock">When the system clock is trusted: <c>ntp</c>, <c>always</c>, or <c>auto</c> (default).</param>
/// <param name="HoldMaxReadings">Readings held before the first sync at most (0: none are held).</param>
/// <param name="HoldMaxAge">Longest a reading waits for the first sync before it is published unsynced.</param>
public sealed record TimeProfile(TimeSourcePolicy Source, SystemClockTrust SystemClock, int HoldMaxReadings, TimeSpan HoldMaxAge)
{
    /// <summary>
    /// chronyd's <c>refclock SOCK</c> socket for GPS fixes (<c>chronySocket</c>); null: chrony is not fed. See
    /// firmware-config/chrony/.
    /// </summary>
    public string? ChronySocket { get; init; }

    /// <summary>chronyd's <c>refclock SOCK</c> socket for PPS edges (<c>chronyPpsSocket</c>); needs a gps <c>pps</c> line.</summary>
    public string? ChronyPpsSocket { get; init; }

    /// <summary>GPS, else the system clock once trusted (auto); 10,000 readings held for at most 5 minutes.</summary>
    public static TimeProfile Default { get; } = new(TimeSourcePolicy.GpsOrSystem, SystemClockTrust.Auto, 10_000, TimeSpan.FromMinutes(5));

    /// <summary><see cref="SystemClockTrust.Auto"/> made concrete for a hardware mode.</summary>
    public SystemClockTrust ResolveSystemClock(HardwareMode hardware) => SystemClock switch
    {
        // A simulated gateway lives in the machine's time: its simulated GPS reports the machine's clock, and there
        // is no real clock to distrust. Real hardware is a Pi that may have restarted hours behind.
        SystemClockTrust.Auto => hardware == HardwareMode.Simulated ? SystemClockTrust.Always : SystemClockTrust.Ntp,
        var explicitTrust => explicitTrust,
    };
}

/// <summary>When the system clock counts as a synchronised time source.</summary>
public enum SystemClockTrust
{
    /// <summary><see cref="Always"/> with simulated hardware, <see cref="Ntp"/> on a real gateway.</summary>
    Auto,

    /// <summary>Once the kernel reports the clock NTP-synchronised (adjtimex(2) stops returning TIME_ERROR).</summary>
    Ntp,

    /// <summary>From the start, as it is: only for machines whose clock is known good (a lab rig, a simulation).</summary>
    Always,
}
