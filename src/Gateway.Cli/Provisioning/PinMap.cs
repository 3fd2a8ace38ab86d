using System.Globalization;
using System.Text.Json;

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

    /// <summary>Every pin use of the profile's sources, in profile order.</summary>
    public static IReadOnlyList<PinUse> Read(string profileJson)
    {
        using var doc = JsonDocument.Parse(profileJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var uses = new List<PinUse>();
        if (!doc.RootElement.TryGetProperty("sources", out var sources) || sources.ValueKind != JsonValueKind.Array) return uses;
        foreach (var s in sources.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object) continue;
            var type = ProfileHardware.Text(s, "type") ?? "";
            var name = ProfileHardware.Text(s, "name") ?? type;
            switch (type)
            {
                case "gps":
                    if (ProfileHardware.Text(s, "device") is null or "/dev/serial0" or "/dev/ttyAMA0" or "/dev/ttyS0")
                    {
                        uses.Add(new PinUse("GPIO14", name, "UART TXD"));
                        uses.Add(new PinUse("GPIO15", name, "UART RXD"));
                    }
                    if (s.TryGetProperty("pps", out var pps) && pps.ValueKind == JsonValueKind.Object)
                        uses.Add(new PinUse(Line(pps, "gpioChip", "line"), name, "PPS line"));
                    break;
                case "bme280" or "ina219":
                    var bus = ProfileHardware.Number(s, "bus", 1);
                    if (I2cPins(bus) is { } i2c)
                    {
                        uses.Add(new PinUse($"GPIO{i2c.Sda}", name, $"I2C bus {bus} SDA", $"i2c{bus}"));
                        uses.Add(new PinUse($"GPIO{i2c.Scl}", name, $"I2C bus {bus} SCL", $"i2c{bus}"));
                    }
                    break;
                case "lora" or "sx1276":
                    var spi = ProfileHardware.Number(s, "spiBus", 0);
                    var cs = ProfileHardware.Number(s, "chipSelect", 0);
                    if (SpiPins(spi) is { } p)
                    {
                        uses.Add(new PinUse($"GPIO{p.Miso}", name, $"SPI{spi} MISO", $"spi{spi}"));
                        uses.Add(new PinUse($"GPIO{p.Mosi}", name, $"SPI{spi} MOSI", $"spi{spi}"));
                        uses.Add(new PinUse($"GPIO{p.Sclk}", name, $"SPI{spi} SCLK", $"spi{spi}"));
                        if (cs < p.ChipSelects.Length) uses.Add(new PinUse($"GPIO{p.ChipSelects[cs]}", name, $"SPI{spi} CE{cs}"));
                    }
                    if (s.TryGetProperty("resetLine", out _)) uses.Add(new PinUse(Line(s, "gpioChip", "resetLine"), name, "resetLine"));
                    if (s.TryGetProperty("dio0Line", out _)) uses.Add(new PinUse(Line(s, "gpioChip", "dio0Line"), name, "dio0Line"));
                    break;
                case "gpio-input" or "gpio" or "input":
                    if (s.TryGetProperty("line", out _)) uses.Add(new PinUse(Line(s, "gpioChip", "line"), name, "GPIO input"));
                    break;
                case "ds18b20":
                    // Several DS18B20 may share one 1-Wire bus (each has its own 64-bit id).
                    var pin = ProfileHardware.Number(s, "gpioPin", DefaultOneWirePin);
                    uses.Add(new PinUse($"GPIO{pin}", name, "1-Wire data, gpioPin", $"w1-{pin}"));
                    break;
            }
        }
        return uses;
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
    private static string Line(JsonElement e, string chipKey, string lineKey)
    {
        var chip = ProfileHardware.Number(e, chipKey, 0);
        var line = ProfileHardware.Number(e, lineKey, -1);
        return chip == 0 ? $"GPIO{line}" : $"gpiochip{chip} line {line}";
    }
}
