using Gateway.Cli.Provisioning;

namespace Gateway.Cli.Tests.Provisioning;

public sealed class ProfileHardwareTests
{
    [Fact]
    public void DemoProfile_NeedsUartAndI2c_SerialAndI2cDevices()
    {
        var needs = ProfileHardware.Read(File.ReadAllText(Path.Combine(TestRepo.Folder("firmware-config/profiles"), "demo-checkpoint.json")));
        Assert.Equal([BoardInterface.Uart, BoardInterface.I2c], ProfileHardware.Interfaces(needs));
        Assert.Equal(["/dev/serial0", "/dev/i2c-1"], ProfileHardware.Devices(needs));
        Assert.Equal(["dialout", "i2c"], ProfileHardware.Groups(needs));
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

    [Fact]
    public void CounterOnly_NeedsNothing()
    {
        var needs = ProfileHardware.Read("""{ "sources": [ { "type": "counter", "name": "c", "ratePerSecond": 1 } ] }""");
        Assert.Empty(ProfileHardware.Interfaces(needs));
        Assert.Empty(ProfileHardware.Devices(needs));
    }
}
