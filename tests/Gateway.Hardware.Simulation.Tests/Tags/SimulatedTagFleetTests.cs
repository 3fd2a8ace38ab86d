using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Hardware.Simulation.Sx1276;
using Gateway.Hardware.Simulation.Tags;
using Gateway.TestKit.Time;

namespace Gateway.Hardware.Simulation.Tests.Tags;

public sealed class SimulatedTagFleetTests
{
    private static readonly SimulatedSite Site = new(8.484, -13.2299, 27);
    private static readonly SimulatedLoraChannel Channel = new(869_525_000, 9, 125000, 0x12);

    [Fact]
    public void SupplyTruck_LeavesRadioRange_AndComesBack()
    {
        var time = new ManualTimeProvider();
        var (fleet, model) = Create(time, [new SimulatedTag(1, new byte[16], SimulatedTagRole.SupplyTruck, TimeSpan.FromSeconds(10))]);
        var far = fleet.Locate(new SimulatedTag(1, new byte[16], SimulatedTagRole.SupplyTruck, TimeSpan.FromSeconds(10)), 600);
        Assert.InRange(far.Distance, 5000, 9000);
        for (var i = 0; i < 160; i++) // 1600 s: out and back once
        {
            time.Advance(TimeSpan.FromSeconds(10));
            fleet.Tick();
            Drain(model);
        }
        Assert.True(fleet.OutOfRange > 10, $"out of range {fleet.OutOfRange}");
        Assert.True(model.Received > 20, $"received {model.Received}");
    }

    [Fact]
    public void Generator_EndsUpWithLowBattery_GuardPressesAlarm_ContainerHasNoPosition()
    {
        var time = new ManualTimeProvider();
        var key = new byte[16];
        var frames = new List<byte[]>();
        var (fleet, model) = Create(time,
        [
            new SimulatedTag(2, key, SimulatedTagRole.Generator, TimeSpan.FromSeconds(30)),
            new SimulatedTag(3, key, SimulatedTagRole.Guard, TimeSpan.FromSeconds(30)),
            new SimulatedTag(4, key, SimulatedTagRole.Container, TimeSpan.FromSeconds(30)),
        ]);
        for (var i = 0; i < 1500; i++) // 300 s in the fleet's own 200 ms steps, so the staggered tags never collide
        {
            time.Advance(TimeSpan.FromMilliseconds(200));
            fleet.Tick();
            frames.AddRange(Drain(model));
        }
        Assert.Contains(frames, f => f[4] == 2 && (f[9] & SimulatedTagFrame.FlagLowBattery) != 0);
        Assert.Contains(frames, f => f[4] == 3 && (f[9] & SimulatedTagFrame.FlagAlarm) != 0);
        Assert.All(frames.Where(f => f[4] == 4), f => Assert.Equal(16, f.Length));
        Assert.All(frames.Where(f => f[4] == 2), f => Assert.Equal(24, f.Length));
    }

    [Fact]
    public void Counters_ContinueFromTheTagsLastCounter_AndIncrease()
    {
        var time = new ManualTimeProvider();
        var (fleet, model) = Create(time, [new SimulatedTag(5, new byte[16], SimulatedTagRole.Container, TimeSpan.FromSeconds(5)) { LastCounter = 100 }]);
        var counters = new List<uint>();
        for (var i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            fleet.Tick();
            counters.AddRange(Drain(model).Where(f => f[4] == 5).Select(f => (uint)((f[5] << 24) | (f[6] << 16) | (f[7] << 8) | f[8])));
        }
        Assert.Equal(101u, counters.Min());
        Assert.Equal(counters.Order(), counters);
    }

    private static (SimulatedTagFleet, Sx1276Model) Create(ManualTimeProvider time, SimulatedTag[] tags)
    {
        var chip = new SimulatedGpioChip("gpiochip0", 58, time);
        var model = new Sx1276Model(chip, null, 4);
        // Put the model in LoRa continuous receive on the channel, as the driver would.
        foreach (var (reg, value) in new (byte, byte)[] { (0x01, 0x00), (0x01, 0x80), (0x06, 0xD9), (0x07, 0x61), (0x08, 0x9A), (0x1D, 0x72), (0x1E, 0x94), (0x01, 0x85) })
            model.Transfer([(byte)(reg | 0x80), value], new byte[2]);
        return (new SimulatedTagFleet(Site, model, Channel, tags, time, seed: 3), model);
    }

    /// <summary>Reads and clears what the model received, as the driver does (only the last packet survives if two came at once).</summary>
    private static List<byte[]> Drain(Sx1276Model model)
    {
        var result = new List<byte[]>();
        var flags = Read(model, 0x12);
        if ((flags & 0x40) == 0) return result;
        model.Transfer([0x92, flags], new byte[2]);
        if ((flags & 0x20) != 0) return result;
        var n = Read(model, 0x13);
        model.Transfer([0x8D, Read(model, 0x10)], new byte[2]);
        var rx = new byte[n + 1];
        model.Transfer(new byte[n + 1], rx);
        result.Add(rx[1..]);
        return result;
    }

    private static byte Read(Sx1276Model model, byte register)
    {
        var miso = new byte[2];
        model.Transfer([register, 0], miso);
        return miso[1];
    }
}
