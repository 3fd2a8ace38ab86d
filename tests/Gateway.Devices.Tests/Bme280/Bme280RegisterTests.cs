using Gateway.Devices.Bme280;
using Gateway.Devices.Tests.Support;

namespace Gateway.Devices.Tests.Bme280;

public sealed class Bme280RegisterTests
{
    public static TheoryData<int> AllBytes() => RegisterBytes.All();

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void CtrlMeas_EveryByte_RoundTrips(int value) =>
        Assert.Equal((byte)value, Bme280CtrlMeas.FromByte((byte)value).ToByte());

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void CtrlHum_EveryByte_RoundTripsItsFieldBits(int value) =>
        Assert.Equal((byte)(value & 0x07), Bme280CtrlHum.FromByte((byte)value).ToByte());

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void Config_EveryByte_RoundTripsAllButReservedBit1(int value) =>
        Assert.Equal((byte)(value & 0xFD), Bme280Config.FromByte((byte)value).ToByte());

    [Fact]
    public void CtrlMeas_EveryFieldValue_LandsInItsBits()
    {
        for (var t = 0; t < 8; t++)
        for (var p = 0; p < 8; p++)
        for (var m = 0; m < 4; m++)
        {
            var reg = new Bme280CtrlMeas((Bme280Oversampling)t, (Bme280Oversampling)p, (Bme280Mode)m);
            Assert.Equal((byte)((t << 5) | (p << 2) | m), reg.ToByte());
            Assert.Equal(reg, Bme280CtrlMeas.FromByte(reg.ToByte()));
        }
    }

    [Fact]
    public void Config_EveryFieldValue_LandsInItsBits()
    {
        for (var sb = 0; sb < 8; sb++)
        for (var f = 0; f < 8; f++)
        {
            var reg = new Bme280Config((Bme280Standby)sb, (Bme280Filter)f, Spi3WireEnable: f % 2 == 0);
            Assert.Equal((byte)((sb << 5) | (f << 2) | (f % 2 == 0 ? 1 : 0)), reg.ToByte());
            Assert.Equal(reg, Bme280Config.FromByte(reg.ToByte()));
        }
    }

    [Fact]
    public void CtrlHum_EveryFieldValue_RoundTrips()
    {
        for (var h = 0; h < 8; h++)
            Assert.Equal(new Bme280CtrlHum((Bme280Oversampling)h), Bme280CtrlHum.FromByte((byte)h));
    }

    [Theory]
    [InlineData(0x00, false, false)]
    [InlineData(0x08, true, false)]
    [InlineData(0x01, false, true)]
    [InlineData(0x09, true, true)]
    public void Status_Bits_Decode(byte value, bool measuring, bool imUpdate)
    {
        var status = Bme280Status.FromByte(value);
        Assert.Equal(new Bme280Status(measuring, imUpdate), status);
        Assert.Equal(value, status.ToByte());
    }

    [Fact]
    public void CtrlMeas_Forced_MatchesDatasheetExample()
    {
        // §5.4.5: osrs_t = 001, osrs_p = 001, mode = 01 -> 0b001_001_01.
        Assert.Equal(0x25, new Bme280CtrlMeas(Bme280Oversampling.X1, Bme280Oversampling.X1, Bme280Mode.Forced).ToByte());
    }
}
