using System.Globalization;
using Gateway.Agent.Profiles;

namespace Gateway.Cli.Provisioning;

/// <summary>A board interface that needs a boot-config overlay (firmware-config/raspberrypi/interface-*.txt).</summary>
public enum BoardInterface
{
    Uart,
    I2c,
    Spi,
    OneWire,
}

/// <summary>What one source needs from the board: an interface to enable, device nodes to allow, a group to join.</summary>
public sealed record SourceNeeds(string Source, string Type, BoardInterface? Interface, IReadOnlyList<string> Devices, IReadOnlyList<string> Groups);

/// <summary>
/// Works out, from a profile's sources, which boot-config interfaces, device nodes and groups the agent needs
/// (firmware-config/raspberrypi/README.md has the table). It reads the agent's typed profile (<see cref="ProfileLoader"/>),
/// so it knows exactly the source types the agent accepts, with the agent's defaults; a source type added to the agent
/// without a line here stops provisioning with a message instead of being allowed no device.
/// </summary>
public static class ProfileHardware
{
    public static string FileName(this BoardInterface i) => i switch
    {
        BoardInterface.Uart => "interface-uart.txt",
        BoardInterface.I2c => "interface-i2c.txt",
        BoardInterface.Spi => "interface-spi.txt",
        _ => "interface-1wire.txt",
    };

    public static string Display(this BoardInterface i) => i switch
    {
        BoardInterface.Uart => "UART",
        BoardInterface.I2c => "I2C",
        BoardInterface.Spi => "SPI",
        _ => "1-Wire",
    };

    /// <summary>What each source of <paramref name="profile"/> needs from the board, in profile order.</summary>
    public static IReadOnlyList<SourceNeeds> Read(GatewayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Sources.Select(Needs).ToList();
    }

    private static SourceNeeds Needs(SourceProfile source) => source switch
    {
        // A gps source reading a site's gpsd (gpsd://HOST) talks TCP: nothing from the board, no device.
        GpsSourceProfile { Gpsd: not null } g => new SourceNeeds(g.Name, g.Type, null, [], []),
        GpsSourceProfile g => Gps(g),
        Bme280SourceProfile b => new SourceNeeds(b.Name, b.Type, BoardInterface.I2c, [$"/dev/i2c-{b.Bus}"], ["i2c"]),
        Ina219SourceProfile i => new SourceNeeds(i.Name, i.Type, BoardInterface.I2c, [$"/dev/i2c-{i.Bus}"], ["i2c"]),
        // The radio's reset and DIO0 lines are GPIO lines: the agent needs the chip as well as spidev.
        LoraSourceProfile l => new SourceNeeds(l.Name, l.Type, BoardInterface.Spi, [$"/dev/spidev{l.SpiBus}.{l.ChipSelect}", GpioChip(l.GpioChip)], ["spi", "gpio"]),
        GpioInputSourceProfile g => new SourceNeeds(g.Name, g.Type, null, [GpioChip(g.GpioChip)], ["gpio"]),
        // 1-Wire and the thermal zones are read through sysfs: an overlay (1-Wire), no device node.
        Ds18b20SourceProfile d => new SourceNeeds(d.Name, d.Type, BoardInterface.OneWire, [], []),
        CpuTemperatureSourceProfile or CounterSourceProfile => new SourceNeeds(source.Name, source.Type, null, [], []),
        _ => throw new ProvisioningException($"source '{source.Name}' of type '{source.Type}': gatewayctl does not know what it needs from the board; " +
            "add the type to src/Gateway.Cli/Provisioning/ProfileHardware.cs (and PinMap.cs) before provisioning it"),
    };

    /// <summary>The device nodes the unit's DeviceAllow= lists, once each, in profile order.</summary>
    public static IReadOnlyList<string> Devices(IEnumerable<SourceNeeds> needs) => needs.SelectMany(n => n.Devices).Distinct().ToList();

    public static IReadOnlyList<string> Groups(IEnumerable<SourceNeeds> needs) => needs.SelectMany(n => n.Groups).Distinct().ToList();

    public static IReadOnlyList<BoardInterface> Interfaces(IEnumerable<SourceNeeds> needs) =>
        needs.Select(n => n.Interface).OfType<BoardInterface>().Distinct().Order().ToList();

    /// <summary>The placeholder in interface-1wire.txt for the profile's 1-Wire data pin (<see cref="PinMap"/>).</summary>
    public const string OneWirePinPlaceholder = "{gpioPin}";

    /// <summary>
    /// The config.txt lines an interface needs: the fragment file's lines without comments, a line with
    /// <see cref="OneWirePinPlaceholder"/> once per 1-Wire pin of the profile. Validation and provisioning both take
    /// them from here, so what `config validate --boot-config` asks for is exactly what provisioning writes.
    /// </summary>
    public static IReadOnlyList<string> RequiredLines(string fragmentText, IReadOnlyList<int> oneWirePins)
    {
        var lines = new List<string>();
        foreach (var raw in fragmentText.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!line.Contains(OneWirePinPlaceholder, StringComparison.Ordinal)) lines.Add(line);
            else foreach (var pin in oneWirePins.DefaultIfEmpty(PinMap.DefaultOneWirePin))
                    lines.Add(line.Replace(OneWirePinPlaceholder, pin.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }
        return lines;
    }

    private static SourceNeeds Gps(GpsSourceProfile gps)
    {
        // USB receivers (ttyUSB, ttyACM) need no overlay; the header UART does. A PPS line is read through the GPIO
        // character device (no overlay; a pps-gpio overlay would take the line from the agent).
        var onHeader = gps.Device.StartsWith("/dev/serial", StringComparison.Ordinal) || gps.Device.StartsWith("/dev/ttyAMA", StringComparison.Ordinal)
            || gps.Device.StartsWith("/dev/ttyS", StringComparison.Ordinal);
        return gps.Pps is { } p
            ? new SourceNeeds(gps.Name, gps.Type, onHeader ? BoardInterface.Uart : null, [gps.Device, GpioChip(p.GpioChip)], ["dialout", "gpio"])
            : new SourceNeeds(gps.Name, gps.Type, onHeader ? BoardInterface.Uart : null, [gps.Device], ["dialout"]);
    }

    private static string GpioChip(int chip) => $"/dev/gpiochip{chip}";
}
