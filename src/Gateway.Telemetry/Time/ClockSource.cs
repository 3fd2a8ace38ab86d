namespace Gateway.Telemetry.Time;

/// <summary>Where the clock discipline's current UTC offset came from.</summary>
public enum ClockSource : byte
{
    /// <summary>Never synchronised: conversions fall back to the system clock as it is now.</summary>
    None,

    /// <summary>The system clock, trusted because NTP (or an operator) says it is synchronised.</summary>
    SystemClock,

    /// <summary>A GPS fix (RMC/ZDA with a valid fix, optionally refined by PPS edges).</summary>
    Gps,
}

/// <summary>Whether a converted timestamp rests on a synchronisation (DESIGN §4.2).</summary>
public enum TimeQuality : byte
{
    /// <summary>Derived from a synchronised offset.</summary>
    Synced,

    /// <summary>Derived from an unsynchronised system clock; published with <c>time_quality=unsynced</c>.</summary>
    Unsynced,
}
