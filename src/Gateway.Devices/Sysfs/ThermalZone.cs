using System.Globalization;

namespace Gateway.Devices.Sysfs;

/// <summary>
/// A kernel thermal zone (Documentation/driver-api/thermal/sysfs-api.rst): <c>{root}/class/thermal/thermal_zoneN/temp</c>
/// holds the temperature in millidegrees Celsius as a decimal integer. On a Raspberry Pi zone 0 is the SoC (cpu-thermal).
/// The root is <c>/sys</c> on a gateway and a fake tree in tests and in the simulation.
/// </summary>
public sealed class ThermalZone
{
    /// <param name="sysfsRoot"><c>/sys</c> on a gateway; a fake tree in tests and the simulation.</param>
    /// <param name="zone">The N of <c>thermal_zoneN</c>; nothing is read until <see cref="ReadCelsius"/>.</param>
    public ThermalZone(string sysfsRoot, int zone)
    {
        ArgumentException.ThrowIfNullOrEmpty(sysfsRoot);
        ArgumentOutOfRangeException.ThrowIfNegative(zone);
        Path = System.IO.Path.Combine(sysfsRoot, "class", "thermal", $"thermal_zone{zone}", "temp");
    }

    /// <summary>The <c>temp</c> file.</summary>
    public string Path { get; }

    /// <summary>Reads the temperature in °C; throws <see cref="IOException"/> with the path and the fix.</summary>
    public double ReadCelsius()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"{Path} does not exist; check the thermal zone number in the profile ('ls /sys/class/thermal/')", ex);
        }
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milli))
            throw new IOException($"{Path} holds '{Truncate(text)}', not millidegrees; the zone's sensor may be failing");
        return milli / 1000.0;
    }

    internal static string Truncate(string text) => text.Length > 40 ? text[..40] + "..." : text.Trim();
}
