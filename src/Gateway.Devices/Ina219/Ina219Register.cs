namespace Gateway.Devices.Ina219;

/// <summary>INA219 registers (TI SBOS448G §8.6, table 2). All are 16 bits, sent MSB first (§8.5.6).</summary>
public enum Ina219Register : byte
{
    Configuration = 0x00,
    ShuntVoltage = 0x01,
    BusVoltage = 0x02,
    Power = 0x03,
    Current = 0x04,
    Calibration = 0x05,
}

/// <summary>BRNG, bit 13 (§8.6.2.1): bus voltage full-scale range.</summary>
public enum Ina219BusRange : byte
{
    Volts16 = 0,
    Volts32 = 1,
}

/// <summary>PG, bits 12:11 (§8.6.2.1, table 4): shunt voltage range through the programmable gain.</summary>
public enum Ina219ShuntRange : byte
{
    Millivolts40 = 0,
    Millivolts80 = 1,
    Millivolts160 = 2,
    Millivolts320 = 3,
}

/// <summary>
/// BADC bits 10:7 and SADC bits 6:3 (§8.6.2.1, table 5): resolution or averaging. 0X00..0X11 are 9..12-bit single
/// conversions (bit 3 of the field ignored); 1000 is 12-bit; 1001..1111 average 2..128 12-bit samples.
/// </summary>
public enum Ina219Adc : byte
{
    Bits9 = 0x0,
    Bits10 = 0x1,
    Bits11 = 0x2,
    Bits12 = 0x3,
    Samples2 = 0x9,
    Samples4 = 0xA,
    Samples8 = 0xB,
    Samples16 = 0xC,
    Samples32 = 0xD,
    Samples64 = 0xE,
    Samples128 = 0xF,
}

/// <summary>MODE, bits 2:0 (§8.6.2.1, table 6).</summary>
public enum Ina219Mode : byte
{
    PowerDown = 0,
    ShuntTriggered = 1,
    BusTriggered = 2,
    ShuntAndBusTriggered = 3,
    AdcOff = 4,
    ShuntContinuous = 5,
    BusContinuous = 6,
    ShuntAndBusContinuous = 7,
}
