using Gateway.Agent.Profiles;
using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Tests.Provisioning;

public sealed class ProfileHardwareTests
{
    [Fact]
    public void DemoProfile_NeedsEveryInterfaceOfTheReferenceBuild()
    {
        // DESIGN §7: GPS on the UART with its PPS on a GPIO line, BME280 and INA219 on I2C, the SX1276 on SPI0 CE0 with
        // GPIO lines, door inputs on GPIO, a DS18B20 on 1-Wire.
        var needs = ProfileHardware.Read(TestProfiles.Shipped("demo-checkpoint.json"));
        Assert.Equal([BoardInterface.Uart, BoardInterface.I2c, BoardInterface.Spi, BoardInterface.OneWire], ProfileHardware.Interfaces(needs));
        Assert.Equal(["/dev/serial0", "/dev/gpiochip0", "/dev/i2c-1", "/dev/spidev0.0"], ProfileHardware.Devices(needs));
        Assert.Equal(["dialout", "gpio", "i2c", "spi"], ProfileHardware.Groups(needs));
    }

    [Theory]
    [InlineData("""{ "type": "gps", "name": "g", "device": "/dev/ttyUSB0" }""", null, "/dev/ttyUSB0")]
    [InlineData("""{ "type": "gps", "name": "g", "device": "/dev/ttyAMA0" }""", BoardInterface.Uart, "/dev/ttyAMA0")]
    [InlineData("""{ "type": "gps", "name": "g" }""", BoardInterface.Uart, "/dev/serial0")]
    [InlineData("""{ "type": "bme280", "name": "e", "bus": 3 }""", BoardInterface.I2c, "/dev/i2c-3")]
    [InlineData("""{ "type": "ina219", "name": "p", "shuntOhms": 0.1, "maxCurrentAmps": 3.2 }""", BoardInterface.I2c, "/dev/i2c-1")]
    [InlineData("""{ "type": "lora", "name": "r", "region": "eu868", "spiBus": 0, "chipSelect": 1, "dio0Line": 25 }""", BoardInterface.Spi, "/dev/spidev0.1")]
    [InlineData("""{ "type": "gpio-input", "name": "door", "gpioChip": 1, "line": 5 }""", null, "/dev/gpiochip1")]
    [InlineData("""{ "type": "ds18b20", "name": "t", "device": "28-0316a2790aff" }""", BoardInterface.OneWire, null)]
    public void Source_MapsToInterfaceAndDevice(string source, BoardInterface? expected, string? device)
    {
        var n = Assert.Single(ProfileHardware.Read(TestProfiles.WithSources(source)));
        Assert.Equal(expected, n.Interface);
        if (device is null) Assert.Empty(n.Devices);
        else Assert.Contains(device, n.Devices);
    }

    [Fact]
    public void GpsFromAGpsdServer_NeedsNothingFromTheBoard()
    {
        // The untyped reader once put "gpsd://..." into the unit's DeviceAllow= and asked for the dialout group.
        var n = Assert.Single(ProfileHardware.Read(TestProfiles.WithSources("""{ "type": "gps", "name": "g", "device": "gpsd://127.0.0.1:2947" }""")));
        Assert.Null(n.Interface);
        Assert.Empty(n.Devices);
        Assert.Empty(n.Groups);
    }

    [Theory]
    [InlineData("sx1276")] // the driver's name, not a source type: the agent says "lora"
    [InlineData("gpio")]
    [InlineData("future")]
    public void SourceTypeTheAgentRejects_IsRejectedBeforeAnythingIsWorkedOut(string type)
    {
        // Provisioning reads the profile with the agent's loader, so it cannot accept what the agent would refuse.
        var ex = Assert.Throws<ProfileException>(() => TestProfiles.WithSources($$"""{ "type": "{{type}}", "name": "x", "port": "/dev/ttyACM3" }"""));
        Assert.Contains($"got '{type}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "gps", "name": "g", "pps": { "line": 18 } }""", "/dev/gpiochip0")]
    [InlineData("""{ "type": "gps", "name": "g", "device": "/dev/ttyACM0", "pps": { "gpioChip": 2, "line": 5, "edge": "falling" } }""", "/dev/gpiochip2")]
    public void GpsWithPps_AlsoNeedsItsGpioChipAndTheGpioGroup(string source, string chip)
    {
        var n = Assert.Single(ProfileHardware.Read(TestProfiles.WithSources(source)));
        Assert.Equal(chip, n.Devices[^1]);
        Assert.Equal(["dialout", "gpio"], n.Groups);
    }

    [Fact]
    public void ReferenceProfile_AllowsTheGpioChipForItsPpsLine()
    {
        var needs = ProfileHardware.Read(TestProfiles.Shipped("reference-pi.json"));
        var gps = Assert.Single(needs, n => n.Type == "gps");
        Assert.Equal(["/dev/serial0", "/dev/gpiochip0"], gps.Devices);
    }

    [Fact]
    public void CounterOnly_NeedsNothing()
    {
        var needs = ProfileHardware.Read(TestProfiles.WithSources("""{ "type": "counter", "name": "c", "ratePerSecond": 1 }"""));
        Assert.Empty(ProfileHardware.Interfaces(needs));
        Assert.Empty(ProfileHardware.Devices(needs));
    }
}
