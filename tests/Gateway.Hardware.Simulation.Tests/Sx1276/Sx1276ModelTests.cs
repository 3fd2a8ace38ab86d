using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Hardware.Simulation.Sx1276;

namespace Gateway.Hardware.Simulation.Tests.Sx1276;

/// <summary>The model's SPI semantics (SX1276 datasheet §4.3) and reset behaviour, driven with raw bytes.</summary>
public sealed class Sx1276ModelTests
{
    private readonly SimulatedGpioChip _chip = new("gpiochip0", 58, TimeProvider.System);

    [Fact]
    public void ResetValues_VersionAndFskStandbyAt434Mhz()
    {
        var model = new Sx1276Model(_chip, 17, 4);
        Assert.Equal(0x12, Read(model, 0x42));
        Assert.Equal(0x09, Read(model, 0x01));
        Assert.Equal(0x6C, Read(model, 0x06));
    }

    [Fact]
    public void LongRangeMode_ChangesOnlyInSleep()
    {
        var model = new Sx1276Model(_chip, 17, 4);
        Write(model, 0x01, 0x81); // standby -> LoRa+standby: ignored, not asleep
        Assert.Equal(0x01, Read(model, 0x01) & 0x81);
        Write(model, 0x01, 0x00); // sleep
        Write(model, 0x01, 0x80); // LoRa while asleep
        Assert.Equal(0x80, Read(model, 0x01));
    }

    [Fact]
    public void BurstWrite_AutoIncrements_ButFifoAccessWalksTheFifoPointer()
    {
        var model = new Sx1276Model(_chip, 17, 4);
        var miso = new byte[4];
        model.Transfer([0x86, 0xD9, 0x61, 0x9A], miso);   // RegFrfMsb..Lsb in one burst
        Assert.Equal((0xD9, 0x61, 0x9A), (Read(model, 0x06), Read(model, 0x07), Read(model, 0x08)));
        Write(model, 0x0D, 0x10);                        // FifoAddrPtr
        model.Transfer([0x80, 1, 2, 3], miso);           // three FIFO writes
        Write(model, 0x0D, 0x10);
        var rx = new byte[4];
        model.Transfer([0x00, 0, 0, 0], rx);
        Assert.Equal([1, 2, 3], rx[1..]);
        Assert.Equal(0x13, Read(model, 0x0D));
    }

    [Fact]
    public void NresetPulse_RestoresResetValues_AndSilencesSpiWhileHeld()
    {
        var model = new Sx1276Model(_chip, 17, 4);
        Write(model, 0x39, 0x55);
        using var reset = _chip.RequestLines(new GpioRequestOptions([17], GpioDirection.Output, "t") { InitialValues = [true] });
        reset.SetValue(17, false);
        Assert.Equal(0x00, Read(model, 0x42)); // in reset: nothing answers
        reset.SetValue(17, true);
        Assert.Equal(0x12, Read(model, 0x39));
        Assert.Equal(1, model.Resets);
    }

    [Fact]
    public void IrqFlags_AreWriteOneToClear()
    {
        var model = new Sx1276Model(_chip, null, 4);
        Write(model, 0x01, 0x00);
        Write(model, 0x01, 0x80);
        Write(model, 0x01, 0x85);
        Write(model, 0x1E, 0x94);
        Write(model, 0x06, 0xD9); Write(model, 0x07, 0x61); Write(model, 0x08, 0x9A);
        Assert.True(model.Receive([1, 2], new SimulatedLoraChannel(869_525_000, 9, 125000, 0x12), -90, 5));
        Assert.Equal(0x50, Read(model, 0x12));
        Assert.True(_chip.GetLevel(4));
        Write(model, 0x12, 0x10);
        Assert.Equal(0x40, Read(model, 0x12));
        Assert.True(_chip.GetLevel(4));
        Write(model, 0x12, 0x40);
        Assert.Equal(0x00, Read(model, 0x12));
        Assert.False(_chip.GetLevel(4));
    }

    private static byte Read(Sx1276Model model, byte register)
    {
        var miso = new byte[2];
        model.Transfer([register, 0], miso);
        return miso[1];
    }

    private static void Write(Sx1276Model model, byte register, byte value) => model.Transfer([(byte)(register | 0x80), value], new byte[2]);
}
