using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Tests.Provisioning;

public sealed class ProfileHardwareTests
{
    [Fact]
    public void DemoProfile_NeedsEveryInterfaceOfTheReferenceBuild()
    {
        // DESIGN §7: GPS on the UART with its PPS on a GPIO line, BME280 and INA219 on I2C, the SX1276 on SPI0 CE0 with
        // GPIO lines, door inputs on GPIO, a DS18B20 on 1-Wire.
        var needs = ProfileHardware.Read(File.ReadAllText(Path.Combine(TestRepo.Folder("firmware-config/profiles"), "demo-checkpoint.json")));
        Assert.Equal([BoardInterface.Uart, BoardInterface.I2c, BoardInterface.Spi, BoardInterface.OneWire], ProfileHardware.Interfaces(needs));
        Assert.Equal(["/dev/serial0", "/dev/gpiochip0", "/dev/i2c-1", "/dev/spidev0.0"], ProfileHardware.Devices(needs));
        Assert.Equal(["dialout", "gpio", "i2c", "spi"], ProfileHardware.Groups(needs));
    }

    [Theory]
    [InlineData("""{ "type": "gps", "name": "g", "device": "/dev/ttyUSB0" }""", null, "/dev/ttyUSB0")]
    [InlineData("""{ "type": "gps", "name": "g", "device": "/dev/ttyAMA0" }""", BoardInterface.Uart, "/dev/ttyAMA0")]
    [InlineData("""{ "type": "gps", "name": "g" }""", BoardInterface.Uart, "/dev/serial0")]
    [InlineData("""{ "type": "bme280", "name": "e", "bus": 3 }""", BoardInterface.I2c, "/dev/i2c-3")]
    [InlineData("""{ "type": "ina219", "name": "p" }""", BoardInterface.I2c, "/dev/i2c-1")]
    [InlineData("""{ "type": "sx1276", "name": "r", "spiBus": 0, "chipSelect": 1 }""", BoardInterface.Spi, "/dev/spidev0.1")]
    [InlineData("""{ "type": "gpio", "name": "door" }""", null, "/dev/gpiochip0")]
    [InlineData("""{ "type": "future", "name": "x", "port": "/dev/ttyACM3" }""", null, "/dev/ttyACM3")]
    public void Source_MapsToInterfaceAndDevice(string source, BoardInterface? expected, string device)
    {
        var needs = ProfileHardware.Read($$"""{ "sources": [ {{source}} ] }""");
        var n = Assert.Single(needs);
        Assert.Equal(expected, n.Interface);
        Assert.Contains(device, n.Devices);
    }

    [Theory]
    [InlineData("""{ "type": "gps", "name": "g", "pps": { "line": 18 } }""", "/dev/gpiochip0")]
    [InlineData("""{ "type": "gps", "name": "g", "device": "/dev/ttyACM0", "pps": { "gpioChip": 2, "line": 5, "edge": "falling" } }""", "/dev/gpiochip2")]
    public void GpsWithPps_AlsoNeedsItsGpioChipAndTheGpioGroup(string source, string chip)
    {
        var n = Assert.Single(ProfileHardware.Read($$"""{ "sources": [ {{source}} ] }"""));
        Assert.Equal(chip, n.Devices[^1]);
        Assert.Equal(["dialout", "gpio"], n.Groups);
    }

    [Fact]
    public void ReferenceProfile_AllowsTheGpioChipForItsPpsLine()
    {
        var needs = ProfileHardware.Read(File.ReadAllText(Path.Combine(TestRepo.Folder("firmware-config/profiles"), "reference-pi.json")));
        var gps = Assert.Single(needs, n => n.Type == "gps");
        Assert.Equal(["/dev/serial0", "/dev/gpiochip0"], gps.Devices);
    }

    [Fact]
    public void CounterOnly_NeedsNothing()
    {
        var needs = ProfileHardware.Read("""{ "sources": [ { "type": "counter", "name": "c", "ratePerSecond": 1 } ] }""");
        Assert.Empty(ProfileHardware.Interfaces(needs));
        Assert.Empty(ProfileHardware.Devices(needs));
    }
}
