using System.Globalization;
using System.Text;

namespace Gateway.Hardware.Simulation.Nmea;

/// <summary>The track and the sentences of one epoch (NMEA 0183 v2.3 field layouts).</summary>
public sealed partial class SimulatedGpsReceiver
{
    private const double MetersPerDegreeLatitude = 111_320; // mean length of a degree of latitude, good to 0.5 % at any latitude
    private const double MetersPerSecondPerKnot = 1852.0 / 3600;
    private const double GeoidSeparationMeters = 47.0;   // a plausible constant; real receivers use a geoid model

    private static readonly int[] Prns = [2, 5, 7, 9, 13, 15, 18, 20, 23, 26, 29, 31];
    private readonly Random _random;
    private double _jitterNorth, _jitterEast;
    private int _satellites = 9;
    private double _hdop = 1.0;

    /// <summary>The sentences of the next epoch, for the UTC time <paramref name="utc"/>.</summary>
    private string NextEpoch(DateTimeOffset utc)
    {
        var epoch = Interlocked.Increment(ref _epoch);
        var seconds = (double)(_time.GetTimestamp() - _start) / _time.TimestampFrequency;
        var hasFix = !(_options.StartWithoutFix && epoch <= _options.EpochsWithoutFix);
        StepConstellation();

        var time = utc.ToString("HHmmss.ff", CultureInfo.InvariantCulture);
        var date = utc.ToString("ddMMyy", CultureInfo.InvariantCulture);
        var text = new StringBuilder(256);
        if (!hasFix)
        {
            Append(text, $"GPGGA,{time},,,,,0,00,99.99,,M,,M,,");
            if (_options.EmitGsa) Append(text, "GPGSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99");
            Append(text, $"GPRMC,{time},V,,,,,,,{date},,,N");
            return text.ToString();
        }

        var (north, east, velocityNorth, velocityEast) = Patrol(seconds);
        var latitude = _site.Latitude + (north / MetersPerDegreeLatitude);
        var longitude = _site.Longitude + (east / (MetersPerDegreeLatitude * Math.Cos(_site.Latitude * Math.PI / 180)));
        var altitude = _site.AltitudeMeters + (3 * Math.Sin(2 * Math.PI * seconds / 600)) + (0.3 * _random.NextDouble());
        var speed = Math.Sqrt((velocityNorth * velocityNorth) + (velocityEast * velocityEast));
        var course = (Math.Atan2(velocityEast, velocityNorth) * 180 / Math.PI + 360) % 360;
        var lat = Coordinate(latitude, 2, 'N', 'S');
        var lon = Coordinate(longitude, 3, 'E', 'W');
        var inv = CultureInfo.InvariantCulture;

        Append(text, string.Create(inv,
            $"GPGGA,{time},{lat},{lon},1,{_satellites:00},{_hdop:0.0},{altitude:0.0},M,{GeoidSeparationMeters:0.0},M,,"));
        if (_options.EmitGsa)
        {
            var used = string.Join(',', Prns.Take(_satellites).Select(p => p.ToString("00", inv)).Concat(Enumerable.Repeat("", 12 - _satellites)));
            Append(text, string.Create(inv, $"GPGSA,A,3,{used},{_hdop * 1.7:0.0},{_hdop:0.0},{_hdop * 1.4:0.0}"));
        }
        Append(text, string.Create(inv,
            $"GPRMC,{time},A,{lat},{lon},{speed / MetersPerSecondPerKnot:0.00},{course:0.0},{date},,,A"));
        return text.ToString();
    }

    /// <summary>
    /// A circular patrol around the site plus a small random walk (receiver noise); returns offsets in metres and the
    /// velocity (the derivative of the circle), so speed and course agree with the movement.
    /// </summary>
    private (double North, double East, double VelocityNorth, double VelocityEast) Patrol(double seconds)
    {
        var omega = 2 * Math.PI / _options.PatrolPeriod.TotalSeconds;
        var r = _options.PatrolRadiusMeters;
        var angle = omega * seconds;
        _jitterNorth = Math.Clamp(_jitterNorth + ((_random.NextDouble() - 0.5) * 0.4), -2, 2);
        _jitterEast = Math.Clamp(_jitterEast + ((_random.NextDouble() - 0.5) * 0.4), -2, 2);
        return ((r * Math.Cos(angle)) + _jitterNorth, (r * Math.Sin(angle)) + _jitterEast,
            -r * omega * Math.Sin(angle), r * omega * Math.Cos(angle));
    }

    /// <summary>Satellites in use wander within 7..12; HDOP follows them within 0.8..1.6.</summary>
    private void StepConstellation()
    {
        if (_random.NextDouble() < 0.1) _satellites = Math.Clamp(_satellites + (_random.Next(2) * 2) - 1, 7, 12);
        _hdop = Math.Clamp(1.6 - ((_satellites - 7) * 0.14) + ((_random.NextDouble() - 0.5) * 0.1), 0.8, 1.6);
    }

    /// <summary>NMEA <c>ddmm.mmmmm,N</c> / <c>dddmm.mmmmm,E</c>, computed in integer units so minutes never print as 60.</summary>
    private static string Coordinate(double degrees, int degreeDigits, char positive, char negative)
    {
        var hemisphere = degrees < 0 ? negative : positive;
        var units = (long)Math.Round(Math.Abs(degrees) * 60 * 100_000);
        var whole = units / 6_000_000;
        var minutes = units % 6_000_000;
        var format = degreeDigits == 2 ? "00" : "000";
        return string.Create(CultureInfo.InvariantCulture,
            $"{whole.ToString(format, CultureInfo.InvariantCulture)}{minutes / 100_000:00}.{minutes % 100_000:00000},{hemisphere}");
    }

    /// <summary>Appends <c>$body*hh\r\n</c>; the checksum is the XOR of every character between <c>$</c> and <c>*</c>.</summary>
    private static void Append(StringBuilder text, string body)
    {
        var checksum = 0;
        foreach (var c in body) checksum ^= c;
        text.Append('$').Append(body).Append('*').Append(checksum.ToString("X2", CultureInfo.InvariantCulture)).Append("\r\n");
    }
}
