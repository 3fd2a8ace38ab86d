using Gateway.Telemetry.Time;

namespace Gateway.Agent.Profiles;

/// <summary>
/// Reads the optional <c>time</c> section:
/// <c>{ "source": "gps-or-system", "systemClock": "auto", "holdMaxReadings": 10000, "holdMaxSeconds": 300 }</c>;
/// every key has that default.
/// </summary>
internal static class TimeSectionReader
{
    public static TimeProfile Read(JsonSection root)
    {
        var t = root.Section("time", required: false);
        var d = TimeProfile.Default;
        var source = t.OptionalString("source") switch
        {
            null => d.Source,
            "gps" => TimeSourcePolicy.Gps,
            "system" => TimeSourcePolicy.System,
            "gps-or-system" => TimeSourcePolicy.GpsOrSystem,
            var other => throw t.Error("source", $"must be one of gps, system, gps-or-system; got '{other}'"),
        };
        var profile = new TimeProfile(
            source,
            t.Enum("systemClock", d.SystemClock),
            t.Integer("holdMaxReadings", d.HoldMaxReadings, 0, 1_000_000),
            TimeSpan.FromSeconds(t.Integer("holdMaxSeconds", (int)d.HoldMaxAge.TotalSeconds, 0, 86_400)));
        t.RejectUnknownKeys();
        return profile;
    }
}
