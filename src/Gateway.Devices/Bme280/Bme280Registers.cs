namespace Gateway.Devices.Bme280;

/// <summary>ctrl_meas 0xF4 (§5.4.5): osrs_t[7:5], osrs_p[4:2], mode[1:0].</summary>
internal readonly record struct Bme280CtrlMeas(Bme280Oversampling Temperature, Bme280Oversampling Pressure, Bme280Mode Mode)
{
    public static Bme280CtrlMeas FromByte(byte value) =>
        new((Bme280Oversampling)(value >> 5), (Bme280Oversampling)((value >> 2) & 0x07), (Bme280Mode)(value & 0x03));

    public byte ToByte() => (byte)((((int)Temperature & 0x07) << 5) | (((int)Pressure & 0x07) << 2) | ((int)Mode & 0x03));
}

/// <summary>ctrl_hum 0xF2 (§5.4.3): osrs_h[2:0]; bits 7:3 are reserved and written as 0.</summary>
internal readonly record struct Bme280CtrlHum(Bme280Oversampling Humidity)
{
    public static Bme280CtrlHum FromByte(byte value) => new((Bme280Oversampling)(value & 0x07));

    public byte ToByte() => (byte)((int)Humidity & 0x07);
}

/// <summary>config 0xF5 (§5.4.6): t_sb[7:5], filter[4:2], bit 1 reserved, spi3w_en[0].</summary>
internal readonly record struct Bme280Config(Bme280Standby Standby, Bme280Filter Filter, bool Spi3WireEnable = false)
{
    public static Bme280Config FromByte(byte value) =>
        new((Bme280Standby)(value >> 5), (Bme280Filter)((value >> 2) & 0x07), (value & 0x01) != 0);

    public byte ToByte() => (byte)((((int)Standby & 0x07) << 5) | (((int)Filter & 0x07) << 2) | (Spi3WireEnable ? 1 : 0));
}

/// <summary>status 0xF3 (§5.4.4): measuring[3] (conversion running), im_update[0] (NVM copy running).</summary>
internal readonly record struct Bme280Status(bool Measuring, bool ImUpdate)
{
    public static Bme280Status FromByte(byte value) => new((value & 0x08) != 0, (value & 0x01) != 0);

    public byte ToByte() => (byte)((Measuring ? 0x08 : 0) | (ImUpdate ? 0x01 : 0));
}
