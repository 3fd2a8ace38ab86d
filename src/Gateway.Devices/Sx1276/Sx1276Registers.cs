namespace Gateway.Devices.Sx1276;

/// <summary>RegOpMode 0x01 in LoRa mode (§6.4): LongRangeMode[7], AccessSharedReg[6], LowFrequencyModeOn[3], Mode[2:0]; bits 5:4 reserved.</summary>
public readonly record struct Sx1276OpMode(bool LongRangeMode, bool AccessSharedReg, bool LowFrequencyModeOn, Sx1276Mode Mode)
{
    /// <summary>Decodes RegOpMode as read; <c>gatewayctl diag</c> uses it to see whether an agent already has the radio receiving.</summary>
    public static Sx1276OpMode FromByte(byte value) =>
        new((value & 0x80) != 0, (value & 0x40) != 0, (value & 0x08) != 0, (Sx1276Mode)(value & 0x07));

    /// <summary>The value to write; reserved bits 5:4 are written as 0.</summary>
    public byte ToByte() =>
        (byte)((LongRangeMode ? 0x80 : 0) | (AccessSharedReg ? 0x40 : 0) | (LowFrequencyModeOn ? 0x08 : 0) | ((int)Mode & 0x07));
}

/// <summary>RegModemConfig1 0x1D (§6.4): Bw[7:4], CodingRate[3:1], ImplicitHeaderModeOn[0].</summary>
internal readonly record struct Sx1276ModemConfig1(LoraBandwidth Bandwidth, LoraCodingRate CodingRate, bool ImplicitHeader)
{
    public static Sx1276ModemConfig1 FromByte(byte value) =>
        new((LoraBandwidth)(value >> 4), (LoraCodingRate)((value >> 1) & 0x07), (value & 0x01) != 0);

    public byte ToByte() => (byte)((((int)Bandwidth & 0x0F) << 4) | (((int)CodingRate & 0x07) << 1) | (ImplicitHeader ? 1 : 0));
}

/// <summary>RegModemConfig2 0x1E (§6.4): SpreadingFactor[7:4], TxContinuousMode[3], RxPayloadCrcOn[2], SymbTimeout[9:8] in [1:0].</summary>
internal readonly record struct Sx1276ModemConfig2(int SpreadingFactor, bool TxContinuousMode, bool RxPayloadCrcOn, int SymbTimeoutMsb)
{
    public static Sx1276ModemConfig2 FromByte(byte value) =>
        new(value >> 4, (value & 0x08) != 0, (value & 0x04) != 0, value & 0x03);

    public byte ToByte() =>
        (byte)(((SpreadingFactor & 0x0F) << 4) | (TxContinuousMode ? 0x08 : 0) | (RxPayloadCrcOn ? 0x04 : 0) | (SymbTimeoutMsb & 0x03));
}

/// <summary>RegModemConfig3 0x26 (§6.4): LowDataRateOptimize[3], AgcAutoOn[2]; the other bits are reserved (0).</summary>
internal readonly record struct Sx1276ModemConfig3(bool LowDataRateOptimize, bool AgcAutoOn)
{
    public static Sx1276ModemConfig3 FromByte(byte value) => new((value & 0x08) != 0, (value & 0x04) != 0);

    public byte ToByte() => (byte)((LowDataRateOptimize ? 0x08 : 0) | (AgcAutoOn ? 0x04 : 0));
}

/// <summary>RegLna 0x0C (§6.4): LnaGain[7:5] (1 = G1, highest), LnaBoostLf[4:3], LnaBoostHf[1:0] (3 = 150% LNA current).</summary>
internal readonly record struct Sx1276Lna(int Gain, int BoostLf, int BoostHf)
{
    public static Sx1276Lna FromByte(byte value) => new(value >> 5, (value >> 3) & 0x03, value & 0x03);

    public byte ToByte() => (byte)(((Gain & 0x07) << 5) | ((BoostLf & 0x03) << 3) | (BoostHf & 0x03));
}
