using System.Globalization;
using System.Text;

namespace Gateway.Hardware.Simulation.Sysfs;

/// <summary>
/// A fake <c>/sys</c> for the simulation and tests: <c>class/thermal/thermal_zoneN/temp</c> (millidegrees), rewritten
/// on a timer so readers see a live, slowly drifting temperature. 1-Wire thermometers are modelled by
/// <see cref="OneWire.SimulatedW1Bus"/>: their reads wait for conversions, which files cannot show.
/// </summary>
public sealed class SimulatedSysfsTree : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly List<int> _zones = [];
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
