using System.Text;

namespace Gateway.Devices.NmeaGps;

/// <summary>
/// Receiver set-up sentences (NMEA 0183 v4.11 §5.3): <c>$</c> body <c>*hh</c> CR LF, the checksum being the XOR of the
/// body's bytes. Profiles list bodies only (e.g. <c>PMTK220,1000</c> for a 1 Hz MediaTek, <c>PUBX,40,GSV,0,0,0,0,0,0</c>
/// for a u-blox), so a hand-computed checksum can never be wrong.
/// </summary>
public static class NmeaCommand
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when <paramref name="body"/> cannot be sent.</summary>
    public static void Validate(string body)
    {
        if (!TryValidate(body, out var problem)) throw new ArgumentException(problem, nameof(body));
    }

    /// <summary>A body is 1-79 printable ASCII characters without <c>$</c>, <c>*</c>, <c>!</c> or line ends, starting with its address.</summary>
    public static bool TryValidate(string body, out string problem)
    {
        problem = "";
        var address = body?.Split(',')[0] ?? "";
        if (string.IsNullOrEmpty(body) || body.Length > 79)
            problem = $"receiver command '{body}' must be 1 to 79 characters (NMEA 0183 allows 82 with '$', '*hh' and CR LF)";
        else if (body.Any(c => c is < ' ' or > '~' or '$' or '*' or '!'))
            problem = $"receiver command '{body}' must be printable ASCII without '$', '*' or '!': give the body only; the checksum is added when it is sent";
        else if (address.Length < 2 || address.Any(c => c is not (>= 'A' and <= 'Z') and not (>= '0' and <= '9')))
            problem = $"receiver command '{body}' must start with an address such as PMTK220 or PUBX";
        return problem.Length == 0;
    }

    /// <summary>The sentence as sent: <c>$body*HH\r\n</c>.</summary>
    public static byte[] Frame(string body)
    {
        byte checksum = 0;
        foreach (var c in body) checksum ^= (byte)c;
        return Encoding.ASCII.GetBytes($"${body}*{checksum:X2}\r\n");
    }
}
