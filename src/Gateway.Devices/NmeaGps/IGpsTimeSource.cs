namespace Gateway.Devices.NmeaGps;

/// <summary>
/// A source of GPS time for the clock discipline and chrony: the NMEA receiver (<see cref="NmeaGpsSource"/>) or gpsd
/// (<see cref="Gpsd.GpsdSource"/>).
/// </summary>
public interface IGpsTimeSource
{
    /// <summary>Raised on the reading task for every valid fix that carries a UTC date and time. Keep handlers short.</summary>
    event Action<NmeaTimeFix>? FixTimeReceived;
}
