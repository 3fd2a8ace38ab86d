using System.Text.RegularExpressions;
using Gateway.Configuration;
using Gateway.Telemetry.Pipeline;

namespace Gateway.Agent.Profiles;

/// <summary>
/// Reads and validates a gateway profile without touching hardware or network (STYLE.md habit 10). A bad profile
/// stops the agent with one <see cref="ProfileException"/> naming the key and the problem.
/// </summary>
public static partial class ProfileLoader
{
    /// <summary>Upper bound on a profile's size: a profile is a page of JSON, never megabytes.</summary>
    public const int MaxProfileBytes = 256 * 1024;

    /// <summary>Reads and validates the profile at <paramref name="path"/> (at most <see cref="MaxProfileBytes"/>).</summary>
    public static GatewayProfile Load(string path) =>
        Parse(ConfigurationFile.Read<ProfileException>(path, MaxProfileBytes, "pass an existing file with --profile (samples are in firmware-config/profiles/)"),
            System.IO.Path.GetFileName(path));

    /// <summary>Validates profile JSON; <paramref name="fileName"/> names it in messages.</summary>
    public static GatewayProfile Parse(ReadOnlySpan<byte> json, string fileName)
    {
        using var doc = ConfigurationFile.Parse<ProfileException>(json, fileName);
        return Read(new JsonSection(fileName, "", doc.RootElement)) with { FileName = fileName };
    }

    private static GatewayProfile Read(JsonSection root)
    {
        var gatewayId = root.RequiredString("gatewayId");
        // The id is an MQTT topic level and a certificate CN: keep it to characters that are safe in both and in
        // line-protocol tags without escaping.
        if (!GatewayIdPattern().IsMatch(gatewayId))
            throw root.Error("gatewayId", $"must be 1-64 characters of a-z, 0-9, '-' and '_' starting with a letter or digit; got '{gatewayId}'");

        var siteSection = root.Section("site", required: true);
        var site = new SiteProfile(
            siteSection.RequiredString("name"),
            siteSection.Number("latitude", null, -90, 90),
            siteSection.Number("longitude", null, -180, 180),
            siteSection.Number("altitude", 0, -500, 9000));
        siteSection.RejectUnknownKeys();

        var hardware = root.Enum("hardware", HardwareMode.Simulated);

        var broker = BrokerSectionReader.Read(root);

        var p = root.Section("pipeline", required: false);
        var pipeline = new PipelineProfile(
            p.Integer("capacity", 8192, 16, 1_000_000),
            p.Enum("fullMode", PipelineFullMode.DropOldest),
            p.Integer("batchMaxReadings", 500, 1, 100_000),
            TimeSpan.FromMilliseconds(p.Integer("batchMaxDelayMs", 1000, 10, 600_000)),
            p.Integer("bufferMaxBytes", 16 * 1024 * 1024, 64 * 1024, int.MaxValue));
        p.RejectUnknownKeys();

        var sources = new List<SourceProfile>();
        foreach (var s in root.Array("sources"))
        {
            var source = ReadSource(s);
            if (sources.Exists(x => x.Name == source.Name))
                throw s.Error("name", $"'{source.Name}' is used by two sources; names become the sensor tag and must be unique");
            sources.Add(source);
        }
        if (sources.Count == 0) throw root.Error("sources", "must list at least one source");
        var journal = JournalSectionReader.Read(root);
        CheckDeviceConflicts(root, sources);
        var time = TimeSectionReader.Read(root);
        root.RejectUnknownKeys();
        return new GatewayProfile(gatewayId, site, hardware, broker, pipeline, sources) { Journal = journal, Time = time };
    }

    private static SourceProfile ReadSource(JsonSection s)
    {
        var type = s.RequiredString("type");
        var name = s.RequiredString("name");
        if (!SourceNamePattern().IsMatch(name))
            throw s.Error("name", $"must be 1-64 characters of letters, digits, '-', '_' and '.'; got '{name}'");
        SourceProfile result = type switch
        {
            "gps" => ReadGps(s, name),
            "bme280" => ReadBme280(s, name),
            // Above 1000/s two readings would share a millisecond timestamp and the store would keep one (CounterSource).
            "counter" => new CounterSourceProfile(name, s.Number("ratePerSecond", null, 0.001, Devices.Counter.CounterSource.MaxDistinctRate)),
            _ => ReadDeviceSource(s, type, name),
        };
        s.RejectUnknownKeys();
        return result;
    }

    private static GpsSourceProfile ReadGps(JsonSection s, string name)
    {
        var device = s.OptionalString("device") ?? "/dev/serial0";
        if (Devices.Gpsd.GpsdEndpoint.IsGpsd(device)) return ReadGpsdClient(s, name, device);
        var baud = s.Integer("baud", 9600, 4800, 921600);
        if (!Hardware.Serial.SerialPortSettings.IsStandardBaudRate(baud))
            throw s.Error("baud", $"must be a standard rate ({string.Join(", ", Hardware.Serial.SerialPortSettings.StandardBaudRates)}); got {baud}");
        var init = s.Strings("init");
        for (var i = 0; i < init.Count; i++)
            if (!Devices.NmeaGps.NmeaCommand.TryValidate(init[i], out var problem)) throw s.Error($"init[{i}]", problem);
        return new GpsSourceProfile(name, device, baud)
        {
            Port = s.Enum("port", GpsPort.Auto),
            Init = init.Count == 0 ? [] : init,
            Pps = ReadPps(s),
            // 1024 and up: the agent runs unprivileged. gpsd's own 2947 is fine when no gpsd runs on the Pi.
            GpsdPort = s.Has("gpsdPort") ? s.Integer("gpsdPort", null, 1024, 65535) : null,
        };
    }

    /// <summary>A gps source that reads a site's gpsd: the receiver's settings belong to gpsd, so they are refused here.</summary>
    private static GpsSourceProfile ReadGpsdClient(JsonSection s, string name, string device)
    {
        if (!Devices.Gpsd.GpsdEndpoint.TryParse(device, out var endpoint, out var problem)) throw s.Error("device", problem);
        foreach (var key in (string[])["baud", "port", "init", "pps", "gpsdPort"])
        {
            if (s.Has(key))
                throw s.Error(key, $"does not apply when the device is gpsd ({device}): gpsd owns the receiver, so set its speed, commands and PPS where gpsd runs; remove \"{key}\"");
        }
        return new GpsSourceProfile(name, device, 0) { Gpsd = endpoint };
    }

    /// <summary>The optional <c>pps</c> object of a gps source; null when absent.</summary>
    private static GpsPpsProfile? ReadPps(JsonSection gps)
    {
        var p = gps.Section("pps", required: false);
        if (!gps.Has("pps")) return null;
        var edge = p.OptionalString("edge") switch
        {
            null or "rising" => Hardware.Gpio.GpioEdge.Rising,
            "falling" => Hardware.Gpio.GpioEdge.Falling,
            var other => throw p.Error("edge", $"must be rising or falling (the edge that starts the second; rising for most receivers); got '{other}'"),
        };
        // Lines as for the other GPIO sources: BCM numbers on a Pi (GPIO 18 by convention); the kernel checks the
        // chip's real line count when the line is requested.
        var profile = new GpsPpsProfile(p.Integer("gpioChip", 0, 0, 31), new Devices.Pps.PpsOptions(p.Integer("line", null, 0, 1023), edge));
        p.RejectUnknownKeys();
        return profile;
    }

    private static Bme280SourceProfile ReadBme280(JsonSection s, string name)
    {
        var address = s.Integer("address", 0x76, 0, 0x7F);
        // BME280 datasheet §6.2: the address is 0x76 (SDO to GND) or 0x77 (SDO to VDDIO), nothing else.
        if (address is not (0x76 or 0x77))
            throw s.Error("address", $"must be 0x76 or 0x77 (BME280 datasheet §6.2, set by the SDO pin); got 0x{address:X2}");
        return new Bme280SourceProfile(name, s.Integer("bus", 1, 0, 255), address,
            TimeSpan.FromMilliseconds(s.Integer("intervalMs", 10_000, 100, 3_600_000))) { Options = ReadBme280Options(s) };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex GatewayIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex SourceNamePattern();
}
