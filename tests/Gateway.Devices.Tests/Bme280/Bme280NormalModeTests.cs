using Gateway.Devices.Bme280;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Simulation.Bme280;
using Gateway.Hardware.Simulation.I2c;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Bme280;

public sealed class Bme280NormalModeTests
{
    [Fact]
    public async Task Source_NormalMode_ReadsTheLatestCycleWithTheProfilesOversampling()
    {
        var time = new ManualTimeProvider();
        var model = new Bme280Model(time, new Bme280Environment(28, 50, 1000));
        var bus = new SimulatedI2cBus(1);
        bus.Attach(0x77, model);
        var options = new Bme280Options(Bme280Mode.Normal, Bme280Oversampling.X2, Bme280Oversampling.X16, Bme280Oversampling.X1, Bme280Filter.Coefficient4, Bme280Standby.Ms500);
        var source = new Bme280Source("enclosure", bus.CreateDevice(0x77), TimeSpan.FromSeconds(5), options);
        var readings = await SourceRunner.CollectAsync(source, time, TimeSpan.FromMilliseconds(100), 3);

        // The part stays in normal mode and cycles on its own: ctrl_meas still says normal (forced mode would have
        // returned to sleep after each measurement, §3.3.3), with the profile's oversampling, filter and standby.
        var device = bus.CreateDevice(0x77);
        Assert.Equal(new Bme280CtrlMeas(Bme280Oversampling.X2, Bme280Oversampling.X16, Bme280Mode.Normal), Bme280CtrlMeas.FromByte(device.ReadRegister(0xF4)));
        Assert.Equal(new Bme280Config(Bme280Standby.Ms500, Bme280Filter.Coefficient4), Bme280Config.FromByte(device.ReadRegister(0xF5)));
        Assert.All(readings, r => Assert.InRange(r.Values[0], 27.5, 28.5));
    }
}
