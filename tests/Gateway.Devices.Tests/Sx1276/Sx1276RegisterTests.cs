using Gateway.Devices.Sx1276;
using Gateway.Devices.Tests.Support;

namespace Gateway.Devices.Tests.Sx1276;

public sealed class Sx1276RegisterTests
{
    public static TheoryData<int> AllBytes() => RegisterBytes.All();

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void OpMode_EveryByte_RoundTripsAllButReservedBits5And4(int value) =>
        Assert.Equal((byte)(value & 0xCF), Sx1276OpMode.FromByte((byte)value).ToByte());

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void ModemConfig1_EveryByte_RoundTrips(int value) =>
        Assert.Equal((byte)value, Sx1276ModemConfig1.FromByte((byte)value).ToByte());

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void ModemConfig2_EveryByte_RoundTrips(int value) =>
        Assert.Equal((byte)value, Sx1276ModemConfig2.FromByte((byte)value).ToByte());

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void ModemConfig3_EveryByte_RoundTripsItsTwoFields(int value) =>
        Assert.Equal((byte)(value & 0x0C), Sx1276ModemConfig3.FromByte((byte)value).ToByte());

    [Theory]
    [MemberData(nameof(AllBytes))]
    public void Lna_EveryByte_RoundTripsAllButReservedBit2(int value) =>
        Assert.Equal((byte)(value & 0xFB), Sx1276Lna.FromByte((byte)value).ToByte());

    [Fact]
    public void ModemConfig_FieldsLandInTheirDatasheetBits()
    {
        // §6.4: Bw[7:4] 0111 = 125 kHz, CodingRate[3:1] 001 = 4/5, explicit header -> 0x72 (the reset value).
        Assert.Equal(0x72, new Sx1276ModemConfig1(LoraBandwidth.Khz125, LoraCodingRate.Cr4_5, false).ToByte());
        // SF9 with CRC on -> 0x94.
        Assert.Equal(0x94, new Sx1276ModemConfig2(9, false, true, 0).ToByte());
        // LoRa, continuous receive, HF -> 0x85; LF port sets bit 3 -> 0x8D.
        Assert.Equal(0x85, new Sx1276OpMode(true, false, false, Sx1276Mode.ReceiveContinuous).ToByte());
        Assert.Equal(0x8D, new Sx1276OpMode(true, false, true, Sx1276Mode.ReceiveContinuous).ToByte());
    }

    [Theory]
    // §5.5.5, HF port: SNR >= 0 uses 16/15 x PacketRssi; SNR < 0 adds PacketSnr x 0.25.
    [InlineData(60, 20, false, -157 + (16.0 / 15 * 60))]
    [InlineData(60, 0, false, -157 + 64.0)]
    [InlineData(30, -20, false, -157 + 30 - 5.0)]
    // LF port offset -164.
    [InlineData(60, -4, true, -164 + 60 - 1.0)]
    public void PacketRssi_FollowsTheDatasheetFormula(int packetRssi, int packetSnr, bool lf, double expected) =>
        Assert.Equal(expected, Sx1276Driver.PacketRssi((byte)packetRssi, (sbyte)packetSnr, lf), 6);
}
