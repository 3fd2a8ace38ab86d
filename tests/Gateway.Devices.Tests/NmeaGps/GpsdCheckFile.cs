using System.Globalization;
using System.Text.Json;

namespace Gateway.Devices.Tests.NmeaGps;

/// <summary>
/// A gpsd regression output (<c>NAME.log.chk</c>) in its order: every sentence gpsd accepted, echoed, followed by the
/// reports it triggered. The order is the evidence the cycle rules check: which sentences gpsd had read when it wrote a
/// report (<see cref="GpsdCycleRules"/>).
/// </summary>
public sealed class GpsdCheckFile
{
    private readonly string[] _lines;

    public GpsdCheckFile(string path) => _lines = File.ReadAllLines(path);

    public int Count => _lines.Length;

    public string this[int line] => _lines[line];

    public bool IsSentence(int line) => line >= 0 && line < _lines.Length && _lines[line].StartsWith('$');

    /// <summary>The sentence's type without its talker (<c>GGA</c>), or its whole address when proprietary.</summary>
    public string Type(int line)
    {
        var address = Fields(line)[0];
        return address.StartsWith('P') || address.Length < 5 ? address : address[2..];
    }

    public string[] Fields(int line)
    {
        var text = _lines[line];
        var star = text.IndexOf('*');
        return (star < 0 ? text[1..] : text[1..star]).Split(',');
    }

    /// <summary>gpsd's report on this line (TPV, SKY, GST...), or null for a sentence.</summary>
    public JsonElement? Report(int line) => IsSentence(line) ? null : JsonDocument.Parse(_lines[line]).RootElement;

    /// <summary>The time of day a sentence carries (GGA, RMC, GNS, GST, GBS, ZDA: field 1; GLL: field 5), if any.</summary>
    public TimeSpan? TimeOfDay(int line)
    {
        if (!IsSentence(line)) return null;
        var fields = Fields(line);
        var index = Type(line) switch
        {
            "GGA" or "RMC" or "GNS" or "GST" or "GBS" or "ZDA" => 1,
            "GLL" => 5,
            _ => -1,
        };
        if (index < 0 || index >= fields.Length || fields[index].Length < 6) return null;
        var f = fields[index];
        var seconds = double.Parse(f[4..], CultureInfo.InvariantCulture);
        return new TimeSpan(int.Parse(f[..2], CultureInfo.InvariantCulture), int.Parse(f[2..4], CultureInfo.InvariantCulture), 0)
               + TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A ZDA's full UTC time (fields 1-4), the only sentence here that dates itself completely.</summary>
    public DateTimeOffset? ZdaTime(int line)
    {
        if (!IsSentence(line) || Type(line) != "ZDA" || TimeOfDay(line) is not { } time) return null;
        var f = Fields(line);
        if (f.Length < 5 || f[2].Length == 0 || f[3].Length == 0 || f[4].Length == 0) return null;
        var day = new DateTimeOffset(int.Parse(f[4], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture),
            int.Parse(f[2], CultureInfo.InvariantCulture), 0, 0, 0, TimeSpan.Zero);
        return day + time;
    }

    /// <summary>
    /// The first sentence of the cycle that <paramref name="report"/> reports: walking back from the report, the
    /// earliest sentence with the report's time of day before any sentence with another time.
    /// </summary>
    public int CycleStart(int report, TimeSpan timeOfDay)
    {
        var start = -1;
        for (var i = report - 1; i >= 0; i--)
        {
            if (TimeOfDay(i) is not { } t) continue;
            if (Math.Abs((t - timeOfDay).TotalSeconds) > 0.0099) break; // gpsd's own test for "the time moved"
            start = i;
        }
        return start;
    }

    /// <summary>The nearest sentence before <paramref name="line"/> that carries a time, or -1.</summary>
    public int PreviousTimed(int line)
    {
        for (var i = line - 1; i >= 0; i--)
            if (TimeOfDay(i) is not null) return i;
        return -1;
    }
}
