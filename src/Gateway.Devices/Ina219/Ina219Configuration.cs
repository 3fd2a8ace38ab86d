namespace Gateway.Devices.Ina219;

/// <summary>
/// The configuration register 0x00 (§8.6.2.1): RST[15], bit 14 unused, BRNG[13], PG[12:11], BADC[10:7], SADC[6:3],
/// MODE[2:0]. Each field goes to its own bits: in particular the shunt ADC setting lands in SADC and never in BADC
/// (a widely copied driver wrote it into the bus ADC bits, leaving the shunt at its reset resolution).
/// </summary>
public readonly record struct Ina219Configuration(
    Ina219BusRange BusRange,
    Ina219ShuntRange ShuntRange,
    Ina219Adc BusAdc,
    Ina219Adc ShuntAdc,
    Ina219Mode Mode,
    bool Reset = false)
{
    /// <summary>The power-on value 0x399F: 32 V, ±320 mV, 12-bit bus and shunt, continuous shunt and bus.</summary>
    public const ushort PowerOnValue = 0x399F;

    /// <summary>The configuration the part has after power-on or a reset (<see cref="PowerOnValue"/> decoded).</summary>
    public static Ina219Configuration PowerOn => FromUInt16(PowerOnValue);

    /// <summary>Decodes the register as read from the part (MSB first on the wire, §8.5.6).</summary>
    public static Ina219Configuration FromUInt16(ushort value) => new(
        (Ina219BusRange)((value >> 13) & 0x1),
        (Ina219ShuntRange)((value >> 11) & 0x3),
        (Ina219Adc)((value >> 7) & 0xF),
        (Ina219Adc)((value >> 3) & 0xF),
        (Ina219Mode)(value & 0x7),
        (value & 0x8000) != 0);

    /// <summary>The register value to write; each field masked to its own bits.</summary>
    public ushort ToUInt16() => (ushort)(
        (Reset ? 0x8000 : 0)
        | (((int)BusRange & 0x1) << 13)
        | (((int)ShuntRange & 0x3) << 11)
        | (((int)BusAdc & 0xF) << 7)
        | (((int)ShuntAdc & 0xF) << 3)
        | ((int)Mode & 0x7));

    /// <summary>Full-scale shunt voltage of the PG setting, in volts.</summary>
    public double ShuntFullScaleVolts => 0.04 * (1 << (int)ShuntRange);

    /// <summary>Full-scale bus voltage of the BRNG setting, in volts.</summary>
    public double BusFullScaleVolts => BusRange == Ina219BusRange.Volts32 ? 32 : 16;

    /// <summary>§8.6.2.1 table 5 conversion time of one ADC setting, in microseconds.</summary>
    public static double ConversionMicroseconds(Ina219Adc adc) => ((int)adc & 0x8) == 0
        ? ((int)adc & 0x3) switch { 0 => 84, 1 => 148, 2 => 276, _ => 532 }
        : ((int)adc & 0x7) switch { 0 => 532, 1 => 1060, 2 => 2130, 3 => 4260, 4 => 8510, 5 => 17020, 6 => 34050, _ => 68100 };
}
