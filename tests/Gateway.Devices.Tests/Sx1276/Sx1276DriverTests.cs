using Gateway.Devices.Sx1276;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Simulation.Gpio;
using Gateway.Hardware.Simulation.Spi;
using Gateway.Hardware.Simulation.Sx1276;
using Gateway.Hardware.Spi;

namespace Gateway.Devices.Tests.Sx1276;

public sealed class Sx1276DriverTests : IDisposable
{
    private const int ResetLine = 17, Dio0Line = 4;
    private static readonly LoraRegionPlan Plan = LoraRegionPlan.LoadBuiltIn("eu868");
    private static readonly SimulatedLoraChannel Channel = new(Plan.FrequencyHz, Plan.SpreadingFactor, 125000, Plan.SyncWord);

    private readonly SimulatedGpioChip _chip = new("gpiochip0", 58, TimeProvider.System);
    private readonly Sx1276Model _model;
    private readonly SimulatedSpiDevice _spi;
    private readonly GpioLineRequest _reset;
    private readonly Sx1276Driver _driver;

    public Sx1276DriverTests()
    {
        _model = new Sx1276Model(_chip, ResetLine, Dio0Line);
        _spi = new SimulatedSpiDevice(new SpiConnectionSettings(0, 0), _model);
        _reset = _chip.RequestLines(new GpioRequestOptions([ResetLine], GpioDirection.Output, "test") { InitialValues = [true] });
        _driver = new Sx1276Driver(_spi, _reset, ResetLine);
    }

    public void Dispose()
    {
        _reset.Dispose();
        _spi.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public void Initialize_WritesThePlanIntoTheDatasheetRegisters()
    {
        _driver.Initialize(Plan);
        Assert.Equal(1, _model.Resets);
        // Frf = 869.525 MHz / (32 MHz / 2^19) = 14246298 = 0xD9619A (§4.1.4).
        Assert.Equal((0xD9, 0x61, 0x9A), (_model.Peek(0x06), _model.Peek(0x07), _model.Peek(0x08)));
        Assert.Equal(0x85, _model.Peek(0x01));   // LoRa, RXCONTINUOUS
        Assert.Equal(0x72, _model.Peek(0x1D));   // 125 kHz, 4/5, explicit header
        Assert.Equal(0x94, _model.Peek(0x1E));   // SF9, CRC on
        Assert.Equal(0x04, _model.Peek(0x26));   // AGC on, no LDRO at SF9
        Assert.Equal(0x12, _model.Peek(0x39));   // private sync word
        Assert.Equal(0x00, _model.Peek(0x40));   // DIO0 = RxDone
        Assert.True(_driver.IsHealthy(out _));
    }

    [Fact]
    public void Initialize_NoChip_ThrowsNamingTheVersionAndWhatToCheck()
    {
        using var empty = new SimulatedSpiDevice(new SpiConnectionSettings(0, 1), null);
        var ex = Assert.Throws<IOException>(() => new Sx1276Driver(empty).Initialize(Plan));
        Assert.Contains("no SX1276 on spidev0.1: RegVersion 0xFF", ex.Message, StringComparison.Ordinal);
        Assert.Contains("chip select", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadPacket_ReceivedFrame_ReturnsPayloadRssiSnrAndClearsDio0()
    {
        _driver.Initialize(Plan);
        byte[] payload = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        Assert.True(_model.Receive(payload, Channel, rssiDbm: -97.3, snrDb: 6.25));
        Assert.True(_chip.GetLevel(Dio0Line));
        var buffer = new byte[255];
        Assert.True(_driver.TryReadPacket(buffer, out var packet));
        Assert.Equal(payload, buffer[..packet.Length]);
        Assert.Equal(6.25, packet.SnrDb);
        Assert.Equal(-97.3, packet.RssiDbm, 1.1); // one register step is 16/15 dB
        Assert.False(_chip.GetLevel(Dio0Line));
        Assert.False(_driver.TryReadPacket(buffer, out _));
    }

    [Fact]
    public void TryReadPacket_SeveralPackets_ReadsEachFromItsFifoAddress()
    {
        _driver.Initialize(Plan);
        var buffer = new byte[255];
        for (var i = 0; i < 40; i++)
        {
            var payload = Enumerable.Range(i, 16 + (i % 8)).Select(b => (byte)b).ToArray();
            _model.Receive(payload, Channel, -80, -3);
            Assert.True(_driver.TryReadPacket(buffer, out var packet));
            Assert.Equal(payload, buffer[..packet.Length]);
            Assert.Equal(-80, packet.RssiDbm, 1.1);
        }
        Assert.Equal(40, _driver.Statistics.Packets);
    }

    [Fact]
    public void TryReadPacket_CrcError_IsCountedAndDropped()
    {
        _driver.Initialize(Plan);
        _model.Receive([1, 2, 3], Channel, -110, -8, crcError: true);
        Assert.False(_driver.TryReadPacket(new byte[255], out _));
        Assert.Equal(1, _driver.Statistics.CrcErrors);
        Assert.False(_chip.GetLevel(Dio0Line));
    }

    [Fact]
    public void Receive_OtherSpreadingFactorOrSyncWord_IsNotHeard()
    {
        _driver.Initialize(Plan);
        Assert.False(_model.Receive([1], Channel with { SpreadingFactor = 10 }, -90, 5));
        Assert.False(_model.Receive([1], Channel with { SyncWord = 0x34 }, -90, 5));
        Assert.False(_model.Receive([1], Channel with { FrequencyHz = 868_100_000 }, -90, 5));
        Assert.Equal(3, _model.Missed);
    }

    [Fact]
    public void IsHealthy_AfterBrownOut_IsFalseAndRecoverRestoresReception()
    {
        _driver.Initialize(Plan);
        _model.BrownOut();
        Assert.False(_driver.IsHealthy(out var problem));
        Assert.Contains("RegOpMode", problem, StringComparison.Ordinal);
        Assert.False(_model.Receive([1], Channel, -90, 5));
        _driver.Recover();
        Assert.Equal(1, _driver.Statistics.Resets);
        Assert.True(_driver.IsHealthy(out _));
        Assert.True(_model.Receive([1], Channel, -90, 5));
    }

    [Fact]
    public void IsHealthy_ChipStopsAnswering_IsFalseUntilReset()
    {
        _driver.Initialize(Plan);
        _model.Hang();
        Assert.False(_driver.IsHealthy(out var problem));
        Assert.Contains("RegVersion reads 0x00", problem, StringComparison.Ordinal);
        _driver.Recover();
        Assert.True(_driver.IsHealthy(out _));
    }

    [Fact]
    public void ReadRssi_ReportsTheNoiseFloor()
    {
        _driver.Initialize(Plan);
        _model.NoiseFloorDbm = -121;
        Assert.Equal(-121, _driver.ReadRssi());
    }

    [Fact]
    public void Initialize_LowFrequencyPlan_SetsLowFrequencyModeAndItsRssiOffset()
    {
        var eu433 = LoraRegionPlan.LoadBuiltIn("eu433");
        _driver.Initialize(eu433);
        Assert.Equal(0x8D, _model.Peek(0x01));
        _model.NoiseFloorDbm = -125;
        Assert.Equal(-125, _driver.ReadRssi());
        Assert.True(_model.Receive([9, 9], new SimulatedLoraChannel(eu433.FrequencyHz, 10, 125000, 0x12), -100, -2));
        Assert.True(_driver.TryReadPacket(new byte[255], out var packet));
        Assert.Equal(-100, packet.RssiDbm, 1.1);
    }
}
