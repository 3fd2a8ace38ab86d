using System.Globalization;
using Gateway.Agent.Profiles;

namespace Gateway.Cli.Provisioning;

/// <summary>One use of a header pin by a source: <see cref="Bus"/> is set for pins a bus shares (I2C SDA, SPI MISO...).</summary>
public sealed record PinUse(string Pin, string Source, string Function, string? Bus = null)
{
    public string Describe() => $"source '{Source}' ({Function})";
}

/// <summary>
/// The one map from a profile to the Raspberry Pi header pins it uses (BCM numbers; gpiochip0 is the header): the UART
/// of a GPS on the header, I2C and SPI bus pins and chip selects, GPIO lines (radio reset and DIO0, PPS, inputs) and
/// the 1-Wire data pin. `config validate` and provisioning both read it: a pin with two users is refused, naming both,
/// and the 1-Wire overlay provisioning writes takes its pin from here. Pins from the BCM2711 peripherals datasheet §5.3
/// (alternative function table) and the Raspberry Pi pinout; they are the same on every 40-pin Raspberry Pi.
/// </summary>
public static class PinMap
{
    /// <summary>The w1-gpio overlay's own default pin (Raspberry Pi overlays README, "w1-gpio").</summary>
    public const int DefaultOneWirePin = 4;

    /// <summary>Every pin use of the profile's sources, in profile order (from the agent's typed profile, with its defaults).</summary>
    public static IReadOnlyList<PinUse> Read(GatewayProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var uses = new List<PinUse>();
        foreach (var source in profile.Sources)
        {
            var name = source.Name;
            switch (source)
            {
                case GpsSourceProfile gps:
                    // The primary UART is on GPIO14/15 (serial0 is its alias); ttyAMA1.. are other UARTs on other pins.
                    if (gps.Gpsd is null && gps.Device is "/dev/serial0" or "/dev/ttyAMA0" or "/dev/ttyS0")
                    {
                        uses.Add(new PinUse("GPIO14", name, "UART TXD"));
                        uses.Add(new PinUse("GPIO15", name, "UART RXD"));
                    }
                    if (gps.Pps is { } pps) uses.Add(new PinUse(Line(pps.GpioChip, pps.Options.Line), name, "PPS line"));
                    break;
                case Bme280SourceProfile { Bus: var bus }:
                    AddI2c(uses, name, bus);
                    break;
                case Ina219SourceProfile { Bus: var bus }:
                    AddI2c(uses, name, bus);
                    break;
                case LoraSourceProfile lora:
                    if (SpiPins(lora.SpiBus) is { } p)
                    {
                        var spi = lora.SpiBus;
                        uses.Add(new PinUse($"GPIO{p.Miso}", name, $"SPI{spi} MISO", $"spi{spi}"));
                        uses.Add(new PinUse($"GPIO{p.Mosi}", name, $"SPI{spi} MOSI", $"spi{spi}"));
                        uses.Add(new PinUse($"GPIO{p.Sclk}", name, $"SPI{spi} SCLK", $"spi{spi}"));
                        if (lora.ChipSelect < p.ChipSelects.Length) uses.Add(new PinUse($"GPIO{p.ChipSelects[lora.ChipSelect]}", name, $"SPI{spi} CE{lora.ChipSelect}"));
                    }
                    if (lora.ResetLine is { } reset) uses.Add(new PinUse(Line(lora.GpioChip, reset), name, "resetLine"));
                    uses.Add(new PinUse(Line(lora.GpioChip, lora.Dio0Line), name, "dio0Line"));
                    break;
                case GpioInputSourceProfile input:
                    uses.Add(new PinUse(Line(input.GpioChip, input.Options.Line), name, "GPIO input"));
                    break;
                case Ds18b20SourceProfile d:
                    // Several DS18B20 may share one 1-Wire bus (each has its own 64-bit id).
                    uses.Add(new PinUse($"GPIO{d.GpioPin}", name, "1-Wire data, gpioPin", $"w1-{d.GpioPin}"));
                    break;
            }
        }
        return uses;
    }

    private static void AddI2c(List<PinUse> uses, string name, int bus)
    {
        if (I2cPins(bus) is not { } i2c) return;
        uses.Add(new PinUse($"GPIO{i2c.Sda}", name, $"I2C bus {bus} SDA", $"i2c{bus}"));
        uses.Add(new PinUse($"GPIO{i2c.Scl}", name, $"I2C bus {bus} SCL", $"i2c{bus}"));
    }

    /// <summary>One line per pin with two users that do not share a bus, naming both.</summary>
    public static IReadOnlyList<string> Conflicts(IReadOnlyList<PinUse> uses)
    {
        var problems = new List<string>();
        foreach (var pin in uses.GroupBy(u => u.Pin, StringComparer.Ordinal))
        {
            var list = pin.ToList();
            for (var i = 1; i < list.Count; i++)
            {
                var first = list[0];
                var other = list[i];
                if (first.Bus is not null && first.Bus == other.Bus) continue;
                problems.Add($"{pin.Key} is used twice: by {first.Describe()} and by {other.Describe()}; a pin serves one function " +
                    "(DESIGN §7): wire one of them to a free pin and change the profile (firmware-config/raspberrypi/README.md has the wiring)");
                break;
            }
        }
        return problems;
    }

    /// <summary>The distinct 1-Wire data pins of the profile's DS18B20 sources (the w1-gpio overlays to write).</summary>
    public static IReadOnlyList<int> OneWirePins(IReadOnlyList<PinUse> uses) =>
        uses.Where(u => u.Bus is { } b && b.StartsWith("w1-", StringComparison.Ordinal))
            .Select(u => int.Parse(u.Bus!.AsSpan(3), CultureInfo.InvariantCulture)).Distinct().ToList();

    private static (int Sda, int Scl)? I2cPins(int bus) => bus switch
    {
        0 => (0, 1),
        1 => (2, 3),
        _ => null,
    };

    private static (int Miso, int Mosi, int Sclk, int[] ChipSelects)? SpiPins(int bus) => bus switch
    {
        0 => (9, 10, 11, [8, 7]),
        1 => (19, 20, 21, [18, 17, 16]),
        _ => null,
    };

    /// <summary>"GPIO n" for the header's chip 0, "gpiochipC line n" for any other chip.</summary>
    private static string Line(int chip, int line) => chip == 0 ? $"GPIO{line}" : $"gpiochip{chip} line {line}";
}
