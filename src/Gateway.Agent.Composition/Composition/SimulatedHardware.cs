using Gateway.Agent.Profiles;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.I2c;
using Gateway.Hardware.OneWire;
using Gateway.Hardware.Serial;
using Gateway.Hardware.Simulation;
using Gateway.Hardware.Simulation.Bme280;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Hardware.Simulation.I2c;
using Gateway.Hardware.Simulation.Ina219;
using Gateway.Hardware.Simulation.Nmea;
using Gateway.Hardware.Simulation.OneWire;
using Gateway.Hardware.Simulation.Spi;
using Gateway.Hardware.Simulation.Sysfs;
using Gateway.Hardware.Spi;
using Gateway.Telemetry.Readings;

namespace Gateway.Agent.Composition;

/// <summary>
/// The register-level simulation of the reference build (DESIGN §7): BME280 and INA219 models on simulated I2C buses,
/// an SX1276 model on a simulated SPI device with tags beaconing around the site, door/tamper contacts on a simulated
/// GPIO chip (BCM2711: 58 lines), a fake <c>/sys</c> under the state directory and a GPS receiver walking the site.
/// The real drivers run against all of it.
/// </summary>
public sealed partial class SimulatedHardware : HardwareAccess
{
    /// <summary>The BCM2711 (Raspberry Pi 4) exposes 58 GPIO lines on gpiochip0.</summary>
    private const int GpioLines = 58;

    /// <summary>How long after its second the simulated receiver sends a fix when it has a PPS line: a u-blox's typical delay.</summary>
    public static readonly TimeSpan GpsOutputLatency = TimeSpan.FromMilliseconds(150);

    private readonly TimeProvider _time;
    private readonly SimulatedSite _site;
    private readonly string _stateDirectory;
    private readonly int _seed;
    private readonly Dictionary<int, SimulatedI2cBus> _i2c = [];
    private readonly Dictionary<int, SimulatedGpioChip> _chips = [];
    private readonly Dictionary<string, World> _worlds = [];
    private readonly Dictionary<string, SpiDeviceModel> _spiModels = [];
    private readonly SimulatedW1Bus _w1;
    private SimulatedSysfsTree? _sysfs;
    private int _sysfsUsers;

    /// <param name="profile">The site (where the GPS and tags are) and the gateway id (the world's seed).</param>
    /// <param name="stateDirectory">Holds the fake <c>/sys</c> (<c>simulated-sys/</c>) and the tag key and counter
    /// files the simulated tags are checked against.</param>
    /// <param name="time">The clock the whole world runs on (a test's manual clock).</param>
    public SimulatedHardware(GatewayProfile profile, string stateDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _stateDirectory = stateDirectory;
        _site = new SimulatedSite(profile.Site.Latitude, profile.Site.Longitude, profile.Site.AltitudeMeters);
        _seed = StableSeed(profile.GatewayId);
        _w1 = new SimulatedW1Bus(time);
    }

    /// <summary>A seed from the gateway id: each simulated gateway has its own world, the same one on every run.</summary>
    public int Seed => _seed;

    /// <inheritdoc/>
    public override void Prepare(SourceProfile source)
    {
        switch (source)
        {
            case Bme280SourceProfile b:
                Bus(b.Bus).Attach(b.Address, new Bme280Model(_time, seed: _seed));
                break;
            case Ina219SourceProfile n:
                Bus(n.Bus).Attach(n.Address, new Ina219Model(_time, n.ShuntOhms));
                break;
            case LoraSourceProfile l:
                PrepareLora(l);
                break;
            case GpioInputSourceProfile g:
                PrepareContact(g);
                break;
            case CpuTemperatureSourceProfile c:
                Sysfs().AddThermalZone(c.Zone);
                _worlds[c.Name] = new World(StartSysfs, StopSysfs);
                break;
            case GpsSourceProfile { Pps: { } pps } gps:
                PreparePps(gps, pps);
                break;
            case Ds18b20SourceProfile d:
                _w1.Add(d.DeviceId);
                break;
        }
    }

    /// <inheritdoc/>
    public override I2cBus I2cBus(int bus) => Bus(bus);

    /// <inheritdoc/>
    public override I2cDevice OpenI2c(int bus, int address) => Bus(bus).CreateDevice(address);

    /// <inheritdoc/>
    public override SpiDevice OpenSpi(LoraSourceProfile lora)
    {
        ArgumentNullException.ThrowIfNull(lora);
        _spiModels.TryGetValue(lora.Name, out var model);
        return new SimulatedSpiDevice(new SpiConnectionSettings(lora.SpiBus, lora.ChipSelect, lora.ClockHz), model);
    }

    /// <inheritdoc/>
    public override GpioChip GpioChip(int chip) => Chip(chip);

    /// <inheritdoc/>
    public override string SysfsRoot(string configured) => Sysfs().Root;

    /// <inheritdoc/>
    public override W1Bus W1Bus(string sysfsRoot) => _w1;

    /// <inheritdoc/>
    public override SerialDevice OpenSerial(GpsSourceProfile gps)
    {
        ArgumentNullException.ThrowIfNull(gps);
        // With a PPS line the receiver keeps to whole UTC seconds, so that its fixes number the pulses as a real one's do.
        return new SimulatedGpsReceiver(_site, _time, new SimulatedGpsOptions
        {
            BaudRate = gps.BaudRate,
            Seed = _seed,
            OutputLatency = gps.Pps is null ? null : GpsOutputLatency,
        });
    }

    /// <inheritdoc/>
    public override ReadingSource Wrap(ReadingSource source, SourceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return _worlds.TryGetValue(profile.Name, out var world) ? new SimulationScope(source, world) : source;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var world in _worlds.Values) world.Stop();
        _sysfs?.Dispose();
    }

    private SimulatedI2cBus Bus(int bus)
    {
        if (!_i2c.TryGetValue(bus, out var b)) _i2c[bus] = b = new SimulatedI2cBus(bus);
        return b;
    }

    private SimulatedGpioChip Chip(int chip)
    {
        if (!_chips.TryGetValue(chip, out var c)) _chips[chip] = c = new SimulatedGpioChip($"gpiochip{chip}", GpioLines, _time);
        return c;
    }

    /// <summary>The fake /sys is refreshed while any source that reads it runs.</summary>
    private void StartSysfs()
    {
        lock (_worlds)
        {
            if (_sysfsUsers++ == 0) Sysfs().Start(TimeSpan.FromSeconds(1));
        }
    }

    private void StopSysfs()
    {
        lock (_worlds)
        {
            if (--_sysfsUsers == 0) Sysfs().Dispose();
        }
    }

    private SimulatedSysfsTree Sysfs() => _sysfs ??= new SimulatedSysfsTree(Path.Combine(_stateDirectory, "simulated-sys"), _time);

    private void PrepareContact(GpioInputSourceProfile g)
    {
        // A door opens for 40 s every 3 minutes (first after 20 s); a tamper switch trips for 5 s every 15 minutes.
        var tamper = g.Options.Kind == "tamper";
        var contact = new SimulatedContact(Chip(g.GpioChip), g.Options.Line, _time,
            firstOpen: TimeSpan.FromSeconds(tamper ? 90 : 20),
            period: TimeSpan.FromMinutes(tamper ? 15 : 3),
            openFor: TimeSpan.FromSeconds(tamper ? 5 : 40));
        _worlds[g.Name] = new World(contact.Start, contact.Dispose);
    }

    /// <summary>
    /// A gps source's PPS: pulses at the top of every second on its line of the simulated chip while the source runs
    /// (falling edges when the profile says the second starts on one).
    /// </summary>
    private void PreparePps(GpsSourceProfile gps, GpsPpsProfile pps)
    {
        var pulse = new SimulatedPps(Chip(pps.GpioChip), pps.Options.Line, _time, inverted: pps.Options.Edge == GpioEdge.Falling);
        _worlds[gps.Name] = new World(pulse.Start, pulse.Stop);
    }

    private static int StableSeed(string text)
    {
        // string.GetHashCode is randomised per process; FNV-1a is stable across runs.
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>What a simulated device does on its own while its source runs.</summary>
    private sealed record World(Action Start, Action Stop);

    /// <summary>Runs the source with its simulated world started, and stops the world when the source stops.</summary>
    private sealed class SimulationScope(ReadingSource inner, World world) : ReadingSource(inner.Name, inner.Schema), IWrappingSource
    {
        public ReadingSource Inner => inner;

        public override async Task RunAsync(SourceContext context, CancellationToken cancellationToken)
        {
            world.Start();
            try
            {
                await inner.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                world.Stop();
            }
        }
    }
}
