using Gateway.Telemetry.Time;

namespace Gateway.Agent.Profiles;

/// <summary>
/// Reads the optional <c>time</c> section:
/// <c>{ "source": "gps-or-system", "systemClock": "auto", "holdMaxReadings": 10000, "holdMaxSeconds": 300 }</c>;
/// every key has that default; <c>chronySocket</c> and <c>chronyPpsSocket</c> (absent: chrony is not fed) name chronyd's
/// <c>refclock SOCK</c> sockets.
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
            TimeSpan.FromSeconds(t.Integer("holdMaxSeconds", (int)d.HoldMaxAge.TotalSeconds, 0, 86_400)))
        {
            ChronySocket = SocketPath(t, "chronySocket"),
            ChronyPpsSocket = SocketPath(t, "chronyPpsSocket"),
        };
        t.RejectUnknownKeys();
        return profile;
    }

    /// <summary>An absolute path that fits a Unix socket address (sun_path holds 108 bytes with its NUL).</summary>
    private static string? SocketPath(JsonSection t, string key)
    {
        if (t.OptionalString(key) is not { } path) return null;
        if (!path.StartsWith('/') || System.Text.Encoding.UTF8.GetByteCount(path) > 107)
            throw t.Error(key, $"must be an absolute path of at most 107 bytes (a Unix socket address), e.g. /run/gateway-chrony/gps.sock; got '{path}'");
        return path;
    }
}
