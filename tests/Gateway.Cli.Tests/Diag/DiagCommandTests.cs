using Gateway.TestKit.Data;

namespace Gateway.Cli.Tests.Diag;

public sealed class DiagCommandTests
{
    [Fact]
    public void Simulate_DemoProfile_FindsEveryDeviceAndExitsZero()
    {
        var (code, output, error) = CliRunner.Run("diag", RepositoryRoot.FileAt("firmware-config/profiles/demo-checkpoint.json"), "--simulate", "--gps-seconds", "2");
        Assert.True(code == 0, output + error);
        Assert.Matches(@"enclosure\s+bme280\s+i2c-1 0x76\s+found\s+0x60", output);
        Assert.Matches(@"battery\s+ina219\s+i2c-1 0x40\s+found", output);
        Assert.Matches(@"lora\s+lora\s+spidev0.0\s+found\s+0x12\s+SX1276, eu868 869.525 MHz SF9, noise floor -1\d\d dBm", output);
        Assert.Matches(@"gps\s+gps\s+/dev/serial0\s+found\s+-\s+\d+ sentences in 2 s \(GGA", output);
        Assert.Matches(@"door\s+gpio-input\s+gpiochip0 line 22\s+found", output);
        Assert.Matches(@"soc\s+cpu-temperature\s+thermal_zone0\s+found\s+-\s+\d+\.\d °C", output);
        Assert.Matches(@"outside\s+ds18b20\s+28-0316a2790aff\s+found\s+28\s+\d+\.\d+ °C, CRC ok", output);
        Assert.Matches(@"i2c-1\s+i2c-scan\s+/dev/i2c-1\s+found\s+-\s+answers at 0x40 0x76", output);
    }

    [Fact]
    public void LinuxProfile_OnAMachineWithoutTheDevices_ReportsMissingWithTheFixAndExits1()
    {
        // Bus numbers no machine has (i2c-250, spidev15.15, gpiochip31): what an engineer sees on a Pi whose overlays
        // are not enabled yet.
        var (code, output, error) = CliRunner.RunOnProfile(["diag"], """
            { "gatewayId": "pi", "hardware": "linux", "site": { "name": "S", "latitude": 0, "longitude": 0 }, "broker": { "host": "h" },
              "sources": [ { "type": "bme280", "name": "enclosure", "bus": 250, "address": "0x76" },
                           { "type": "lora", "name": "lora", "spiBus": 15, "chipSelect": 15, "gpioChip": 31, "dio0Line": 4, "resetLine": 17, "region": "eu868" } ] }
            """, "--gps-seconds", "1");
        Assert.Equal(1, code);
        Assert.Matches(@"enclosure\s+bme280\s+i2c-250 0x76\s+missing", output);
        Assert.Contains("/dev/i2c-250: open failed with ENOENT", output, StringComparison.Ordinal);
        Assert.Contains("/dev/spidev15.15: open failed with ENOENT", output, StringComparison.Ordinal);
        Assert.Contains("dtparam=i2c_arm=on", output, StringComparison.Ordinal);
        Assert.Contains("dtparam=spi=on", output, StringComparison.Ordinal);
        Assert.Contains("missing: enclosure, lora", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LinuxProfile_GpsIsProbedThroughTermios_AndAMissingPortIsNamed()
    {
        var (code, output, _) = CliRunner.RunOnProfile(["diag"], """
            { "gatewayId": "pi", "hardware": "linux", "site": { "name": "S", "latitude": 0, "longitude": 0 }, "broker": { "host": "h" },
              "sources": [ { "type": "gps", "name": "gps", "device": "/dev/ttyGWnone0" } ] }
            """, "--gps-seconds", "1");
        Assert.Equal(1, code);
        Assert.Matches(@"gps\s+gps\s+/dev/ttyGWnone0\s+missing", output);
        Assert.Contains("/dev/ttyGWnone0: open failed with ENOENT", output, StringComparison.Ordinal);
    }

    [Fact]
    public void GpsdFedGps_IsSkipped_WithTheGpspipeCommandThatChecksIt()
    {
        var (code, output, error) = CliRunner.RunOnProfile(["diag"], """
            { "gatewayId": "pi", "hardware": "linux", "site": { "name": "S", "latitude": 0, "longitude": 0 }, "broker": { "host": "h" },
              "sources": [ { "type": "gps", "name": "gps", "device": "gpsd://127.0.0.1:2947" } ] }
            """, "--gps-seconds", "1");
        Assert.True(code == 0, output + error);
        Assert.Matches(@"gps\s+gps\s+gpsd://127.0.0.1:2947\s+skipped\s+-\s+read through gpsd; check it with `gpspipe -w -n 10 127.0.0.1:2947`", output);
    }

    [Fact]
    public void Simulate_SyntheticSourceOnly_IsSkippedAndExitsZero()
    {
        var (code, output, _) = CliRunner.RunOnProfile(["diag"], """
            { "gatewayId": "p", "site": { "name": "S", "latitude": 0, "longitude": 0 }, "broker": { "host": "h" },
              "sources": [ { "type": "counter", "name": "c", "ratePerSecond": 1 } ] }
            """, "--simulate");
        Assert.Equal(0, code);
        Assert.Matches(@"c\s+counter\s+-\s+skipped", output);
    }

    [Fact]
    public void BadProfile_Exits2WithTheKey()
    {
        var (code, _, error) = CliRunner.RunOnProfile(["diag"], """{ "gatewayId": "BAD ID" }""");
        Assert.Equal(2, code);
        Assert.Contains("'gatewayId'", error, StringComparison.Ordinal);
    }
}
