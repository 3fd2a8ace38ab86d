using Gateway.Cli.Commands;
using Gateway.Cli.Provisioning;
using Gateway.TestKit.Data;

namespace Gateway.Cli.Tests.Provisioning;

/// <summary>
/// Firmware configuration that agrees with itself (issue 14 item 6): one pin map, a pin with two users refused naming
/// both, the 1-Wire overlay from the profile, the repository's config.txt and every shipped profile consistent, and
/// validation outside the repository.
/// </summary>
public sealed class PinMapTests
{
    private const string Head = """{ "gatewayId": "cp-test-01", "site": { "name": "s", "latitude": 1, "longitude": 2 }, "broker": { "host": "h" }, "hardware": "linux", "sources": [ """;

    [Theory]
    [InlineData("""{ "type": "lora", "name": "lora", "region": "eu868", "dio0Line": 4, "resetLine": 17 }, { "type": "ds18b20", "name": "outside", "device": "28-0316a2790aff" }""",
        "GPIO4 is used twice: by source 'lora' (dio0Line) and by source 'outside' (1-Wire data, gpioPin)")]
    [InlineData("""{ "type": "lora", "name": "lora", "region": "eu868", "spiBus": 0, "chipSelect": 0, "dio0Line": 25, "resetLine": 17 }, { "type": "gpio-input", "name": "door", "line": 8 }""",
        "GPIO8 is used twice: by source 'lora' (SPI0 CE0) and by source 'door' (GPIO input)")]
    [InlineData("""{ "type": "bme280", "name": "enclosure", "bus": 1, "address": "0x76" }, { "type": "gpio-input", "name": "tamper", "line": 3 }""",
        "GPIO3 is used twice: by source 'enclosure' (I2C bus 1 SCL) and by source 'tamper' (GPIO input)")]
    [InlineData("""{ "type": "gps", "name": "gps", "device": "/dev/serial0", "pps": { "gpioChip": 0, "line": 15 } }""",
        "GPIO15 is used twice: by source 'gps' (UART RXD) and by source 'gps' (PPS line)")]
    // Two GPIO inputs on one line: the agent's own check (the kernel would refuse the second claim) answers first.
    [InlineData("""{ "type": "gpio-input", "name": "door", "line": 22 }, { "type": "gpio-input", "name": "tamper", "line": 22 }""",
        "gpiochip0 line 22 is used by both 'door' and 'tamper'")]
    public void Validate_PinUsedTwice_IsRefusedNamingBothUsers(string sources, string expected)
    {
        var (code, _, error) = CliRunner.RunOnProfile(["config", "validate"], Head + sources + " ] }", "--firmware", RepositoryRoot.Folder("firmware-config/raspberrypi"));
        Assert.Equal(1, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Validate_SharedBusPins_AreNotConflicts()
    {
        var (code, output, error) = CliRunner.RunOnProfile(["config", "validate"], Head + """
            { "type": "bme280", "name": "enclosure", "bus": 1, "address": "0x76" }, { "type": "ina219", "name": "battery", "bus": 1, "address": "0x40", "shuntOhms": 0.1, "maxCurrentAmps": 3.2 },
            { "type": "ds18b20", "name": "a", "device": "28-0316a2790aff", "gpioPin": 26 }, { "type": "ds18b20", "name": "b", "device": "28-0316a2790b00", "gpioPin": 26 } ] }
            """, "--firmware", RepositoryRoot.Folder("firmware-config/raspberrypi"));
        Assert.True(code == 0, error);
        Assert.Contains("dtoverlay=w1-gpio,gpiopin=26", output);
    }

    [Fact]
    public void EveryShippedProfile_PassesAgainstTheRepositoryConfigTxt()
    {
        var configTxt = Path.Combine(RepositoryRoot.Folder("firmware-config/raspberrypi"), "config.txt");
        var profiles = Directory.GetFiles(RepositoryRoot.Folder("firmware-config/profiles"), "*.json");
        Assert.NotEmpty(profiles);
        foreach (var profile in profiles)
        {
            var (code, output, error) = CliRunner.Run("config", "validate", profile, "--boot-config", configTxt);
            Assert.True(code == 0, $"{Path.GetFileName(profile)} against config.txt: {output}{error}");
        }
    }

    [Fact]
    public void Validate_ExampleGatewayId_Warns()
    {
        var (code, output, _) = CliRunner.Run("config", "validate", Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), "reference-pi.json"));
        Assert.Equal(0, code);
        Assert.Contains($"warning: gatewayId '{ConfigCommands.ExampleGatewayId}' is the example's", output);
        var (_, demo, _) = CliRunner.Run("config", "validate", Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), "demo-checkpoint.json"));
        Assert.DoesNotContain("warning: gatewayId", demo);
    }

    [Fact]
    public void Validate_SimulatedProfileOutsideTheRepository_NeedsNoFirmwareFiles()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Folder("firmware-config/profiles"), "demo-checkpoint.json"));
        var (code, output, error) = CliRunner.RunOnProfile(["config", "validate"], text);
        Assert.True(code == 0, output + error);
        Assert.Contains("hardware simulated: no overlays needed", output);
        Assert.DoesNotContain("does not exist", output + error);
    }

    [Fact]
    public void RequiredLines_OneWireOverlay_TakesEachProfilePin()
    {
        var fragment = File.ReadAllText(Path.Combine(RepositoryRoot.Folder("firmware-config/raspberrypi"), "interface-1wire.txt"));
        Assert.Equal(["dtoverlay=w1-gpio,gpiopin=26"], ProfileHardware.RequiredLines(fragment, [26]));
        Assert.Equal(["dtoverlay=w1-gpio,gpiopin=4", "dtoverlay=w1-gpio,gpiopin=5"], ProfileHardware.RequiredLines(fragment, [4, 5]));
        Assert.Equal(["dtoverlay=w1-gpio,gpiopin=4"], ProfileHardware.RequiredLines(fragment, []));
    }

}
