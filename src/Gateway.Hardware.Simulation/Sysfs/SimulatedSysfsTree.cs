using System.Globalization;
using System.Text;

namespace Gateway.Hardware.Simulation.Sysfs;

/// <summary>
/// A fake <c>/sys</c> for the simulation and tests: <c>class/thermal/thermal_zoneN/temp</c> (millidegrees) and 1-Wire
/// DS18B20 <c>bus/w1/devices/28-.../w1_slave</c> files in the kernel's exact format (scratchpad, CRC verdict, t=),
/// rewritten on a timer so readers see a live, slowly drifting temperature.
/// </summary>
public sealed class SimulatedSysfsTree : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly List<int> _zones = [];
    private readonly List<string> _w1Devices = [];
    private ITimer? _timer;

    /// <param name="root">The directory that stands for <c>/sys</c>; created if missing, left in place on dispose.</param>
    /// <param name="time">The simulated clock the temperatures drift with.</param>
    public SimulatedSysfsTree(string root, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(time);
        Root = root;
        _time = time;
        _start = time.GetTimestamp();
        Directory.CreateDirectory(root);
    }

    /// <summary>The directory that stands for <c>/sys</c>.</summary>
    public string Root { get; }

    /// <summary>Adds <c>class/thermal/thermal_zone{zone}/temp</c> (millidegrees Celsius, as the kernel writes it).</summary>
    public void AddThermalZone(int zone)
    {
        _zones.Add(zone);
        Refresh();
    }

    /// <summary>Adds a DS18B20 under <c>bus/w1/devices/{deviceId}/</c> (its <c>w1_slave</c>: scratchpad, CRC verdict, <c>t=</c>).</summary>
    public void AddW1Thermometer(string deviceId)
    {
        _w1Devices.Add(deviceId);
        Refresh();
    }

    /// <summary>Rewrites the files every <paramref name="period"/> of simulated time.</summary>
    public void Start(TimeSpan period) => _timer ??= _time.CreateTimer(_ => Refresh(), null, period, period);

    /// <summary>Writes every file for the current time.</summary>
    public void Refresh()
    {
        var seconds = (_time.GetTimestamp() - _start) / (double)_time.TimestampFrequency;
        foreach (var zone in _zones)
        {
            // A Pi 4 SoC idles around 45-55 °C in an enclosure; follow a 10-minute load cycle.
            var milli = (int)Math.Round((48 + (5 * Math.Sin(2 * Math.PI * seconds / 600))) * 1000);
            Write(Path.Combine(Root, "class", "thermal", $"thermal_zone{zone}", "temp"), milli.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        for (var i = 0; i < _w1Devices.Count; i++)
        {
            var celsius = 24 + i + (3 * Math.Sin(2 * Math.PI * seconds / 3600));
            Write(Path.Combine(Root, "bus", "w1", "devices", _w1Devices[i], "w1_slave"), W1Slave(celsius));
        }
    }

    /// <summary>The w1_slave text for a temperature: 12-bit scratchpad (1/16 °C), config 0x7F, Maxim CRC-8.</summary>
    public static string W1Slave(double celsius, bool crcOk = true)
    {
        var raw = (short)Math.Round(celsius * 16);
        byte[] pad = [(byte)raw, (byte)(raw >> 8), 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10, 0x00];
        pad[8] = Crc8(pad.AsSpan(0, 8));
        if (!crcOk) pad[8] ^= 0x5A;
        var hex = string.Join(' ', pad.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var milli = raw * 1000 / 16;
        return $"{hex} : crc={pad[8]:x2} {(crcOk ? "YES" : "NO")}\n{hex} t={milli.ToString(CultureInfo.InvariantCulture)}\n";
    }

    /// <summary>Maxim CRC-8 (AN27), written independently of the driver's.</summary>
    private static byte Crc8(ReadOnlySpan<byte> data)
    {
        var crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x8C : crc >> 1;
        }
        return (byte)crc;
    }

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Write beside and rename, so a reader never sees a half-written file (sysfs reads are atomic too).
        var temp = path + ".tmp";
        File.WriteAllText(temp, content, Encoding.ASCII);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Stops refreshing; the files stay for the caller to delete with its temporary directory.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        _timer = null;
    }
}
