using System.Globalization;
using System.Text.Json;

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
/// (firmware-config/raspberrypi/README.md has the table). It reads the JSON itself rather than the agent's typed
/// profile so that it also covers source types whose drivers it does not know: any string value beginning with
/// <c>/dev/</c> is a device the unit must allow.
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

    public static IReadOnlyList<SourceNeeds> Read(string profileJson)
    {
        using var doc = JsonDocument.Parse(profileJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var result = new List<SourceNeeds>();
        if (!doc.RootElement.TryGetProperty("sources", out var sources) || sources.ValueKind != JsonValueKind.Array) return result;
        foreach (var s in sources.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Object) continue;
            var type = Text(s, "type") ?? "";
            var name = Text(s, "name") ?? type;
            var devices = s.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null)
                .OfType<string>().Where(v => v.StartsWith("/dev/", StringComparison.Ordinal)).ToList();
            result.Add(type switch
            {
                "gps" => Gps(name, Text(s, "device") ?? "/dev/serial0", s.TryGetProperty("pps", out var pps) && pps.ValueKind == JsonValueKind.Object ? pps : null),
                "bme280" or "ina219" => new SourceNeeds(name, type, BoardInterface.I2c, [.. devices, $"/dev/i2c-{Number(s, "bus", 1)}"], ["i2c"]),
                // The radio's reset and DIO0 lines are GPIO lines: the agent needs the chip as well as spidev.
                "sx1276" or "lora" => new SourceNeeds(name, type, BoardInterface.Spi,
                    [.. devices, $"/dev/spidev{Number(s, "spiBus", 0)}.{Number(s, "chipSelect", 0)}", GpioChip(s)], ["spi", "gpio"]),
                "gpio-input" or "gpio" or "input" or "inputs" => new SourceNeeds(name, type, null, [.. devices, GpioChip(s)], ["gpio"]),
                // 1-Wire and the thermal zones are read through sysfs: an overlay (1-Wire), no device node.
                "ds18b20" => new SourceNeeds(name, type, BoardInterface.OneWire, devices, []),
                _ => new SourceNeeds(name, type, null, devices, devices.Count > 0 ? ["dialout"] : []),
            });
        }
        return result;
    }

    /// <summary>The device nodes the unit's DeviceAllow= lists, once each, in profile order.</summary>
    public static IReadOnlyList<string> Devices(IEnumerable<SourceNeeds> needs) => needs.SelectMany(n => n.Devices).Distinct().ToList();

    public static IReadOnlyList<string> Groups(IEnumerable<SourceNeeds> needs) => needs.SelectMany(n => n.Groups).Distinct().ToList();

    private static string GpioChip(JsonElement s) => $"/dev/gpiochip{Number(s, "gpioChip", 0)}";

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

    private static SourceNeeds Gps(string name, string device, JsonElement? pps)
    {
        // USB receivers (ttyUSB, ttyACM) need no overlay; the header UART does. A PPS line is read through the GPIO
        // character device (no overlay; a pps-gpio overlay would take the line from the agent).
        var onHeader = device.StartsWith("/dev/serial", StringComparison.Ordinal) || device.StartsWith("/dev/ttyAMA", StringComparison.Ordinal)
            || device.StartsWith("/dev/ttyS", StringComparison.Ordinal);
        return pps is { } p
            ? new SourceNeeds(name, "gps", onHeader ? BoardInterface.Uart : null, [device, GpioChip(p)], ["dialout", "gpio"])
            : new SourceNeeds(name, "gps", onHeader ? BoardInterface.Uart : null, [device], ["dialout"]);
    }

    internal static string? Text(JsonElement e, string key) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static int Number(JsonElement e, string key, int fallback) =>
        e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i
        : e.TryGetProperty(key, out v) && v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out i) ? i
        : fallback;
}
