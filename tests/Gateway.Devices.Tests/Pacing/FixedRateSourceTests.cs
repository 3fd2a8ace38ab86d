using Gateway.Devices.DigitalInputs;
using Gateway.Devices.NmeaGps;
using Gateway.Devices.Pacing;
using Gateway.Devices.Tests.Support;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.TestKit.Time;

namespace Gateway.Devices.Tests.Pacing;

/// <summary>
/// Sources whose rate is not theirs say who decides and what to change instead, and offer no way to set one.
/// (The LoRa tag source is refused through the agent's composition: Gateway.Agent.Tests SourceRatesTests.)
/// </summary>
public sealed class FixedRateSourceTests
{
    [Fact]
    public void Gps_NamesTheReceiversInitCommandsInTheProfile()
    {
        var gps = new NmeaGpsSource("gps-main", new ScriptedDevice("/dev/ttyAMA0", []));

        Assert.IsNotAssignableFrom<IRateAdjustable>(gps);
        var reason = ((IRateFixed)gps).RateRefusal;
        Assert.Contains("the receiver's update rate is set in its firmware by the \"init\" commands of source 'gps-main' in the profile", reason, StringComparison.Ordinal);
        Assert.Contains("firmware-config/gps/README.md", reason, StringComparison.Ordinal);
        Assert.Contains("send reload-config", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DigitalInput_PostsOnEdges_NotOnASchedule()
    {
        using var chip = new SimulatedGpioChip("gpiochip0", 58, new ManualTimeProvider());
        var input = new DigitalInputSource("door", chip, new DigitalInputOptions(22, false, GpioBias.PullUp, TimeSpan.FromMilliseconds(20), true, "door"));

        Assert.IsNotAssignableFrom<IRateAdjustable>(input);
        var reason = ((IRateFixed)input).RateRefusal;
        Assert.Contains("posts when its contact changes (an edge", reason, StringComparison.Ordinal);
        Assert.Contains("re-reads the line every 60 s only to catch lost edges; there is no rate to set", reason, StringComparison.Ordinal);
    }
}
