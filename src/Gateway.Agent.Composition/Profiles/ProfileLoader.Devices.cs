using System.Text.RegularExpressions;
using Gateway.Devices.DigitalInputs;
using Gateway.Devices.Ina219;
using Gateway.Devices.Sx1276;
using Gateway.Hardware.Gpio;

namespace Gateway.Agent.Profiles;

/// <summary>The radio and sensor sources (issue 6): each reader checks its keys against the datasheet's limits.</summary>
public static partial class ProfileLoader
{
    /// <summary>Every source type a profile may use, for the error message.</summary>
    public const string SourceTypes = "gps, bme280, counter, ina219, lora, gpio-input, cpu-temperature, ds18b20";

    private static SourceProfile ReadDeviceSource(JsonSection s, string type, string name) => type switch
    {
        "ina219" => ReadIna219(s, name),
        "lora" => ReadLora(s, name),
        "gpio-input" => ReadGpioInput(s, name),
        "cpu-temperature" => new CpuTemperatureSourceProfile(name, s.Integer("zone", 0, 0, 63), SysfsRoot(s), Interval(s, 30_000)),
        "ds18b20" => ReadDs18b20(s, name),
        _ => throw s.Error("type", $"must be one of {SourceTypes}; got '{type}'"),
    };

    private static Ina219SourceProfile ReadIna219(JsonSection s, string name)
    {
        // SBOS448G §8.5.5.1 table 1: A0/A1 straps give addresses 0x40..0x4F.
        var address = s.Integer("address", 0x40, 0, 0x7F);
        if (address is < 0x40 or > 0x4F) throw s.Error("address", $"must be 0x40..0x4F (INA219 datasheet §8.5.5.1, set by A0/A1); got 0x{address:X2}");
        var busRange = s.Integer("busRangeVolts", 32, 16, 32) switch
        {
            16 => Ina219BusRange.Volts16,
            32 => Ina219BusRange.Volts32,
            var v => throw s.Error("busRangeVolts", $"must be 16 or 32 (§8.6.2.1 BRNG); got {v}"),
        };
        var shuntRange = s.Integer("shuntRangeMillivolts", 320, 40, 320) switch
        {
            40 => Ina219ShuntRange.Millivolts40,
            80 => Ina219ShuntRange.Millivolts80,
            160 => Ina219ShuntRange.Millivolts160,
            320 => Ina219ShuntRange.Millivolts320,
            var v => throw s.Error("shuntRangeMillivolts", $"must be 40, 80, 160 or 320 (§8.6.2.1 PG); got {v}"),
        };
        var mode = s.OptionalString("mode") switch
        {
            null or "continuous" => Ina219Mode.ShuntAndBusContinuous,
            "triggered" => Ina219Mode.ShuntAndBusTriggered,
            var other => throw s.Error("mode", $"must be continuous or triggered; got '{other}'"),
        };
        var config = new Ina219Configuration(busRange, shuntRange, Samples(s, "busSamples"), Samples(s, "shuntSamples"), mode);
        var shunt = s.Number("shuntOhms", 0.1, 0.0001, 100);
        var maxCurrent = s.Number("maxCurrentAmps", null, 0.001, 1000);
        try
        {
            _ = Ina219Calibration.Create(shunt, maxCurrent, shuntRange);
        }
        catch (ArgumentException ex)
        {
            throw s.Error("maxCurrentAmps", ex.Message.Split(" (Parameter", StringSplitOptions.None)[0]);
        }
        return new Ina219SourceProfile(name, s.Integer("bus", 1, 0, 255), address, shunt, maxCurrent, config, Interval(s, 10_000));
    }

    /// <summary>§8.6.2.1 table 5: averaging of 12-bit samples: 1 (plain 12-bit), 2, 4, ..., 128.</summary>
    private static Ina219Adc Samples(JsonSection s, string key) => s.Integer(key, 1, 1, 128) switch
    {
        1 => Ina219Adc.Bits12,
        2 => Ina219Adc.Samples2,
        4 => Ina219Adc.Samples4,
        8 => Ina219Adc.Samples8,
        16 => Ina219Adc.Samples16,
        32 => Ina219Adc.Samples32,
        64 => Ina219Adc.Samples64,
        128 => Ina219Adc.Samples128,
        var n => throw s.Error(key, $"must be 1, 2, 4, 8, 16, 32, 64 or 128 (INA219 datasheet §8.6.2.1 table 5); got {n}"),
    };

    private static LoraSourceProfile ReadLora(JsonSection s, string name)
    {
        LoraRegionPlan plan;
        var region = s.OptionalString("region");
        var file = s.OptionalString("regionPlan");
        try
        {
            plan = (region, file) switch
            {
                (not null, not null) => throw s.Error("regionPlan", "and 'region' are both set; name a built-in plan or a file, not both"),
                (null, null) => throw s.Error("region", $"is required: one of {string.Join(", ", LoraRegionPlan.BuiltIn)} (firmware-config/lora/), or set 'regionPlan' to a plan file"),
                (not null, null) => LoraRegionPlan.LoadBuiltIn(region),
                _ => LoraRegionPlan.LoadFile(file!),
            };
        }
        catch (InvalidDataException ex)
        {
            throw s.Error(region is not null ? "region" : "regionPlan", ex.Message);
        }
        if (s.Has("frequencyHz"))
        {
            var f = (long)s.Number("frequencyHz", null, plan.MinFrequencyHz, plan.MaxFrequencyHz);
            plan = plan with { FrequencyHz = f };
        }
        if (s.Has("spreadingFactor")) plan = plan with { SpreadingFactor = s.Integer("spreadingFactor", null, 7, 12) };
        // "resetLine": null (or no key) means NRESET is not wired; the chip then relies on its power-on reset.
        var resetValue = s.Integer("resetLine", -1, 0, 1023);
        int? reset = resetValue < 0 ? null : resetValue;
        return new LoraSourceProfile(name,
            s.Integer("spiBus", 0, 0, 15),
            s.Integer("chipSelect", 0, 0, 15),
            // SX1276 §2.5.3 table 9: SCK up to 10 MHz; 1 MHz is plenty for a receiver and tolerant of long wires.
            s.Integer("clockHz", 1_000_000, 10_000, 10_000_000),
            s.Integer("gpioChip", 0, 0, 31),
            reset,
            s.Integer("dio0Line", null, 0, 1023),
            plan,
            TimeSpan.FromSeconds(s.Integer("healthCheckSeconds", 30, 1, 3600)));
    }

    private static GpioInputSourceProfile ReadGpioInput(JsonSection s, string name)
    {
        var bias = s.Enum("bias", GpioBias.PullUp);
        var alarm = s.Boolean("alarm", false);
        var kind = s.OptionalString("kind") ?? (alarm ? "door" : "input");
        if (!EventKindPattern().IsMatch(kind)) throw s.Error("kind", $"must be 1-32 characters of a-z, 0-9 and '_' (it becomes the event's kind tag); got '{kind}'");
        var options = new DigitalInputOptions(
            s.Integer("line", null, 0, 1023),
            s.Boolean("activeLow", false),
            bias,
            TimeSpan.FromMilliseconds(s.Integer("debounceMs", 20, 0, 1000)),
            alarm,
            kind);
        return new GpioInputSourceProfile(name, s.Integer("gpioChip", 0, 0, 31), options);
    }

    private static Ds18b20SourceProfile ReadDs18b20(JsonSection s, string name)
    {
        var device = s.RequiredString("device");
        // w1_therm device directories are family code 28 (DS18B20), a dash and the 48-bit serial in hex.
        if (!W1DevicePattern().IsMatch(device)) throw s.Error("device", $"must be a DS18B20 id such as 28-0316a2790aff (ls /sys/bus/w1/devices/); got '{device}'");
        // The 1-Wire data line (BCM GPIO, the w1-gpio overlay's gpiopin; its default is 4). The agent reads the sensor
        // through sysfs and never the pin; provisioning writes the overlay from it and `config validate` checks that no
        // other source uses it. Read here so that a value out of range stops the agent like any other bad key.
        var pin = s.Integer("gpioPin", 4, 0, 27);
        return new Ds18b20SourceProfile(name, device, SysfsRoot(s), Interval(s, 30_000)) { GpioPin = pin };
    }

    private static string SysfsRoot(JsonSection s)
    {
        var root = s.OptionalString("sysfsRoot") ?? "/sys";
        if (!System.IO.Path.IsPathRooted(root)) throw s.Error("sysfsRoot", $"must be an absolute path; got '{root}'");
        return root;
    }

    private static TimeSpan Interval(JsonSection s, int defaultMs) => TimeSpan.FromMilliseconds(s.Integer("intervalMs", defaultMs, 100, 3_600_000));

    /// <summary>One device per I2C address and one owner per GPIO line: the kernel would refuse the second at run time.</summary>
    private static void CheckDeviceConflicts(JsonSection root, List<SourceProfile> sources)
    {
        var i2c = new Dictionary<(int, int), string>();
        var lines = new Dictionary<(int, int), string>();
        var spi = new Dictionary<(int, int), string>();
        void Claim<TKey>(Dictionary<TKey, string> owners, TKey key, string owner, string what) where TKey : notnull
        {
            if (!owners.TryAdd(key, owner))
                throw root.Error("sources", $"{what} is used by both '{owners[key]}' and '{owner}'");
        }
        foreach (var source in sources)
        {
            switch (source)
            {
                case Bme280SourceProfile b: Claim(i2c, (b.Bus, b.Address), b.Name, $"i2c-{b.Bus} address 0x{b.Address:X2}"); break;
                case Ina219SourceProfile n: Claim(i2c, (n.Bus, n.Address), n.Name, $"i2c-{n.Bus} address 0x{n.Address:X2}"); break;
                case GpioInputSourceProfile g: Claim(lines, (g.GpioChip, g.Options.Line), g.Name, $"gpiochip{g.GpioChip} line {g.Options.Line}"); break;
                case GpsSourceProfile { Pps: { } pps } gps:
                    Claim(lines, (pps.GpioChip, pps.Options.Line), $"{gps.Name}.pps", $"gpiochip{pps.GpioChip} line {pps.Options.Line}");
                    break;
                case LoraSourceProfile l:
                    Claim(spi, (l.SpiBus, l.ChipSelect), l.Name, $"spidev{l.SpiBus}.{l.ChipSelect}");
                    Claim(lines, (l.GpioChip, l.Dio0Line), l.Name, $"gpiochip{l.GpioChip} line {l.Dio0Line}");
                    if (l.ResetLine is { } r) Claim(lines, (l.GpioChip, r), l.Name, $"gpiochip{l.GpioChip} line {r}");
                    break;
            }
        }
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex EventKindPattern();

    [GeneratedRegex("^28-[0-9a-f]{12}$")]
    private static partial Regex W1DevicePattern();
}
