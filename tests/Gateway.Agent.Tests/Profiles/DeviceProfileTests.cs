using System.Text;
using Gateway.Agent.Profiles;
using Gateway.Devices.Bme280;
using Gateway.Devices.Ina219;
using Gateway.Hardware.Gpio;

namespace Gateway.Agent.Tests.Profiles;

/// <summary>The radio and sensor source types of issue 6, and <c>"hardware": "linux"</c>.</summary>
public sealed class DeviceProfileTests
{
    private static GatewayProfile Parse(string sources, string hardware = "simulated") => ProfileLoader.Parse(Encoding.UTF8.GetBytes($$"""
        { "gatewayId": "cp-1", "hardware": "{{hardware}}", "site": { "name": "A", "latitude": 8.48, "longitude": -13.23 },
          "broker": { "host": "127.0.0.1" }, "sources": [ {{sources}} ] }
        """), "p.json");

    private static ProfileException Bad(string sources) => Assert.Throws<ProfileException>(() => Parse(sources));

    [Fact]
    public void Linux_IsAccepted() => Assert.Equal(HardwareMode.Linux, Parse("""{ "type": "counter", "name": "c", "ratePerSecond": 1 }""", "linux").Hardware);

    [Fact]
    public void Lora_Defaults_AndBuiltInPlan()
    {
        var l = Assert.IsType<LoraSourceProfile>(Parse("""{ "type": "lora", "name": "lora", "dio0Line": 4, "resetLine": 17, "region": "eu868" }""").Sources[0]);
        Assert.Equal((0, 0, 1_000_000, 0, (int?)17, 4), (l.SpiBus, l.ChipSelect, l.ClockHz, l.GpioChip, l.ResetLine, l.Dio0Line));
        Assert.Equal(869_525_000, l.Plan.FrequencyHz);
        Assert.Equal(TimeSpan.FromSeconds(30), l.HealthInterval);
    }

    [Fact]
    public void Lora_OverridesInsideThePlansBand_AndNoResetLine()
    {
        var l = Assert.IsType<LoraSourceProfile>(Parse("""{ "type": "lora", "name": "lora", "dio0Line": 4, "resetLine": null, "region": "eu868", "frequencyHz": 869450000, "spreadingFactor": 11 }""").Sources[0]);
        Assert.Null(l.ResetLine);
        Assert.Equal(869_450_000, l.Plan.FrequencyHz);
        Assert.True(l.Plan.LowDataRateOptimize);
    }

    public static TheoryData<string, string> BadSources => new()
    {
        { """{ "type": "lora", "name": "l", "dio0Line": 4 }""", "'sources[0].region' is required: one of" },
        { """{ "type": "lora", "name": "l", "dio0Line": 4, "region": "mars" }""", "no built-in LoRa region plan 'mars'" },
        { """{ "type": "lora", "name": "l", "dio0Line": 4, "region": "eu868", "frequencyHz": 868100000 }""", "'sources[0].frequencyHz' must be between 869400000" },
        { """{ "type": "lora", "name": "l", "dio0Line": 4, "region": "eu868", "spreadingFactor": 6 }""", "'sources[0].spreadingFactor' must be between 7 and 12" },
        { """{ "type": "lora", "name": "l", "dio0Line": 4, "region": "eu868", "clockHz": 20000000 }""", "'sources[0].clockHz' must be between" },
        { """{ "type": "lora", "name": "l", "region": "eu868" }""", "'sources[0].dio0Line' is required" },
        { """{ "type": "ina219", "name": "b", "address": "0x76", "maxCurrentAmps": 1 }""", "'sources[0].address' must be 0x40..0x4F" },
        { """{ "type": "ina219", "name": "b", "maxCurrentAmps": 5, "shuntOhms": 0.1 }""", "beyond the ±320 mV shunt range" },
        { """{ "type": "ina219", "name": "b", "maxCurrentAmps": 1, "busSamples": 3 }""", "'sources[0].busSamples' must be 1, 2, 4" },
        { """{ "type": "ina219", "name": "b", "maxCurrentAmps": 1, "busRangeVolts": 24 }""", "'sources[0].busRangeVolts' must be 16 or 32" },
        { """{ "type": "ina219", "name": "b" }""", "'sources[0].maxCurrentAmps' is required" },
        { """{ "type": "gpio-input", "name": "d", "line": 22, "bias": "up" }""", "'sources[0].bias' must be one of asis, disabled, pullup, pulldown" },
        { """{ "type": "gpio-input", "name": "d", "line": 22, "kind": "Door Alarm" }""", "'sources[0].kind' must be 1-32 characters" },
        { """{ "type": "gpio-input", "name": "d", "line": 22, "alarm": "yes" }""", "'sources[0].alarm' must be true or false" },
        { """{ "type": "gpio-input", "name": "d" }""", "'sources[0].line' is required" },
        { """{ "type": "ds18b20", "name": "t", "device": "10-0316a2790aff" }""", "'sources[0].device' must be a DS18B20 id" },
        { """{ "type": "cpu-temperature", "name": "t", "sysfsRoot": "sys" }""", "'sources[0].sysfsRoot' must be an absolute path" },
        { """{ "type": "bme280", "name": "e", "mode": "sleep" }""", "'sources[0].mode' must be forced or normal" },
        { """{ "type": "bme280", "name": "e", "oversampling": { "pressure": 3 } }""", "'sources[0].oversampling.pressure' must be 0, 1, 2, 4, 8 or 16" },
        { """{ "type": "bme280", "name": "e", "oversampling": { "temperature": 0 } }""", "'sources[0].oversampling.temperature' must not be 0" },
        { """{ "type": "bme280", "name": "e", "oversampling": { "temprature": 2 } }""", "'sources[0].oversampling.temprature' is not a known setting" },
        { """{ "type": "bme280", "name": "e", "filter": 3 }""", "'sources[0].filter' must be 0, 2, 4, 8 or 16" },
        { """{ "type": "bme280", "name": "e", "standbyMs": 100 }""", "'sources[0].standbyMs' must be 0.5, 10, 20" },
        { """{ "type": "gpio-input", "name": "a", "line": 4 }, { "type": "lora", "name": "l", "dio0Line": 4, "region": "eu868" }""", "gpiochip0 line 4 is used by both 'a' and 'l'" },
        { """{ "type": "bme280", "name": "a", "address": "0x76" }, { "type": "bme280", "name": "b", "address": "0x76" }""", "i2c-1 address 0x76 is used by both 'a' and 'b'" },
    };

    [Theory]
    [MemberData(nameof(BadSources))]
    public void BadSource_NamesTheKeyAndTheProblem(string sources, string expected) =>
        Assert.Contains(expected, Bad(sources).Message, StringComparison.Ordinal);

    [Fact]
    public void Ina219_ReadsEveryConfigurationField()
    {
        var n = Assert.IsType<Ina219SourceProfile>(Parse("""{ "type": "ina219", "name": "b", "address": "0x41", "shuntOhms": 0.01, "maxCurrentAmps": 10, "busRangeVolts": 16, "shuntRangeMillivolts": 160, "busSamples": 128, "shuntSamples": 2, "mode": "triggered", "intervalMs": 2000 }""").Sources[0]);
        Assert.Equal(new Ina219Configuration(Ina219BusRange.Volts16, Ina219ShuntRange.Millivolts160, Ina219Adc.Samples128, Ina219Adc.Samples2, Ina219Mode.ShuntAndBusTriggered), n.Configuration);
        Assert.Equal((0x41, 0.01, 10.0, TimeSpan.FromSeconds(2)), (n.Address, n.ShuntOhms, n.MaxCurrentAmps, n.Interval));
    }

    [Fact]
    public void GpioInput_Defaults_PullUpDebounce20MsNoAlarm()
    {
        var g = Assert.IsType<GpioInputSourceProfile>(Parse("""{ "type": "gpio-input", "name": "d", "line": 22 }""").Sources[0]);
        Assert.Equal((22, false, GpioBias.PullUp, TimeSpan.FromMilliseconds(20), false, "input"), (g.Options.Line, g.Options.ActiveLow, g.Options.Bias, g.Options.Debounce, g.Options.Alarm, g.Options.Kind));
    }

    [Fact]
    public void Bme280_ModeAndOversampling()
    {
        var b = Assert.IsType<Bme280SourceProfile>(Parse("""{ "type": "bme280", "name": "e", "mode": "normal", "oversampling": { "temperature": 2, "pressure": 16, "humidity": 0 }, "filter": 4, "standbyMs": 62.5 }""").Sources[0]);
        Assert.Equal(new Bme280Options(Bme280Mode.Normal, Bme280Oversampling.X2, Bme280Oversampling.X16, Bme280Oversampling.Skipped, Bme280Filter.Coefficient4, Bme280Standby.Ms62_5), b.Options);
    }
}
