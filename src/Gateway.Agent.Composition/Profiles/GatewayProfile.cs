namespace Gateway.Agent.Profiles;

/// <summary>
/// A gateway profile (firmware-config/profiles/*.json): who the gateway is, where it sends, what it reads. Loaded and
/// validated once at start by <see cref="ProfileLoader"/>; everything here is already checked.
/// </summary>
public sealed record GatewayProfile(
    string GatewayId,
    SiteProfile Site,
    HardwareMode Hardware,
    BrokerProfile Broker,
    PipelineProfile Pipeline,
    IReadOnlyList<SourceProfile> Sources)
{
    /// <summary>The file the profile came from, for the birth message and for messages.</summary>
    public string FileName { get; init; } = "";

    /// <summary>The store-and-forward journal (the optional <c>journal</c> section).</summary>
    public JournalProfile Journal { get; init; } = JournalProfile.Default;

    /// <summary>Time sources and the holding of readings before the first sync (the optional <c>time</c> section).</summary>
    public TimeProfile Time { get; init; } = TimeProfile.Default;
}

/// <summary>Where the site is; the simulation drives its GPS track and tags around it.</summary>
public sealed record SiteProfile(string Name, double Latitude, double Longitude, double AltitudeMeters);

/// <summary>Whether the drivers talk to the kernel's devices or to the register-level simulation.</summary>
public enum HardwareMode
{
    /// <summary>Register-level device models (DESIGN §8): the demo, tests, a laptop.</summary>
    Simulated,

    /// <summary>The kernel's devices: <c>/dev/i2c-N</c>, <c>/dev/spidevB.C</c>, <c>/dev/gpiochipN</c>, serial ports.</summary>
    Linux,
}

/// <summary>The <c>broker</c> section (read by <see cref="BrokerSectionReader"/>).</summary>
public sealed record BrokerProfile(string Host, int Port, TimeSpan KeepAlive, TimeSpan ReconnectMaxDelay)
{
    /// <summary>Mutual TLS with the fleet CA; null means plain TCP (a lab broker only: the fleet broker serves TLS alone).</summary>
    public BrokerTlsProfile? Tls { get; init; }

    /// <summary>
    /// Whether the agent answers downlink commands on <c>cmd/{id}/+</c> (default true). They need MQTT 5.0
    /// (response topic and correlation data), so the agent connects with 5.0 when this is on and 3.1.1 when it is off.
    /// </summary>
    public bool Commands { get; init; } = true;
}

/// <summary>
/// Pipeline limits. <see cref="BufferMaxBytes"/> bounds the journal when it is kept in memory
/// (<c>journal.type: memory</c>); the disk journal has its own <c>journal.quotaBytes</c>.
/// </summary>
public sealed record PipelineProfile(
    int Capacity,
    Telemetry.Pipeline.PipelineFullMode FullMode,
    int BatchMaxReadings,
    TimeSpan BatchMaxDelay,
    long BufferMaxBytes);

/// <summary>One configured source; each type has its own record with its settings, already validated.</summary>
public abstract record SourceProfile(string Type, string Name);

/// <summary>A <c>gps</c> source: an NMEA receiver on a serial port (or a gpsd server).</summary>
/// <param name="Name">The source's name, the <c>sensor</c> tag.</param>
/// <param name="Device">The serial port (<c>/dev/serial0</c>) or <c>gpsd://HOST[:PORT]</c>.</param>
/// <param name="BaudRate">The receiver's rate; one of the termios rates (9600 for most receivers out of the box).</param>
public sealed record GpsSourceProfile(string Name, string Device, int BaudRate) : SourceProfile("gps", Name)
{
    /// <summary>Which serial implementation: the kernel's termios port or the simulated receiver (default: per <see cref="HardwareMode"/>).</summary>
    public GpsPort Port { get; init; } = GpsPort.Auto;

    /// <summary>Receiver set-up sentence bodies (firmware-config/gps/), sent with their checksums at every start.</summary>
    public IReadOnlyList<string> Init { get; init; } = [];

    /// <summary>The receiver's pulse-per-second line (the optional <c>pps</c> key); null when not wired.</summary>
    public GpsPpsProfile? Pps { get; init; }

    /// <summary>
    /// Set when <see cref="SourceProfile"/>'s device is <c>gpsd://HOST[:PORT]</c>: the fixes come from that gpsd's JSON
    /// stream instead of a serial port (src/Gateway.Devices/Gpsd).
    /// </summary>
    public Devices.Gpsd.GpsdEndpoint? Gpsd { get; init; }

    /// <summary>
    /// The optional <c>gpsdPort</c>: a loopback port on which the agent serves its receiver's fixes the way gpsd does
    /// (<c>?WATCH</c> → TPV/SKY), for <c>cgps</c> and <c>gpspipe -w</c> in the field; null when not served.
    /// </summary>
    public int? GpsdPort { get; init; }
}

/// <summary>
/// A gps source's <c>pps</c>: <c>{ "gpioChip": 0, "line": 18, "edge": "rising" }</c>, the GPIO chip (the N of
/// <c>/dev/gpiochipN</c>) and the line and edge of the receiver's pulse per second (src/Gateway.Devices/Pps).
/// </summary>
public sealed record GpsPpsProfile(int GpioChip, Devices.Pps.PpsOptions Options);

/// <summary><c>auto</c>: termios when <c>hardware</c> is linux, else simulated; or either one explicitly.</summary>
public enum GpsPort
{
    /// <summary>Termios with <c>hardware: linux</c>, the simulated receiver otherwise.</summary>
    Auto,

    /// <summary>The kernel's serial port, even with simulated buses (a real receiver on a laptop).</summary>
    Termios,

    /// <summary>The simulated receiver walking the site; needs <c>hardware: simulated</c>.</summary>
    Simulated,
}

/// <summary>A <c>bme280</c> source: temperature, humidity and pressure over I2C.</summary>
/// <param name="Name">The source's name, the <c>sensor</c> tag.</param>
/// <param name="Bus">The I2C bus (1 on a Raspberry Pi).</param>
/// <param name="Address">0x76 (SDO to ground) or 0x77 (SDO to VDDIO): datasheet §6.2.</param>
/// <param name="Interval">Time between samples.</param>
public sealed record Bme280SourceProfile(string Name, int Bus, int Address, TimeSpan Interval) : SourceProfile("bme280", Name)
{
    /// <summary>Mode, oversampling, filter and standby from the profile (forced, ×1, filter off by default).</summary>
    public Devices.Bme280.Bme280Options Options { get; init; } = new();
}

/// <summary>A <c>counter</c> source: a <c>seq</c> rising by exactly one at a fixed rate, so that a gap downstream is a lost
/// reading (reliability tests, demos).</summary>
/// <param name="Name">The source's name, the <c>sensor</c> tag.</param>
/// <param name="RatePerSecond">Readings per second.</param>
public sealed record CounterSourceProfile(string Name, double RatePerSecond) : SourceProfile("counter", Name);
