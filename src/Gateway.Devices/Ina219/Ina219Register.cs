namespace Gateway.Devices.Ina219;

/// <summary>INA219 registers (TI SBOS448G §8.6, table 2). All are 16 bits, sent MSB first (§8.5.6).</summary>
public enum Ina219Register : byte
{
    /// <summary>Ranges, ADC resolution/averaging and mode (§8.6.2.1); reads 0x399F after a reset.</summary>
    Configuration = 0x00,
    /// <summary>Shunt voltage, signed, 10 µV per LSB at every gain (§8.6.3.1).</summary>
    ShuntVoltage = 0x01,
    /// <summary>Bus voltage in BD[15:3], 4 mV per LSB; CNVR[1] and OVF[0] flags (§8.6.3.2).</summary>
    BusVoltage = 0x02,
    /// <summary>Power in Power_LSB units (20 × Current_LSB); 0 until the calibration is written (§8.6.3).</summary>
    Power = 0x03,
    /// <summary>Current, signed, in Current_LSB units; 0 until the calibration is written (§8.6.3).</summary>
    Current = 0x04,
    /// <summary>Sets the current and power scaling (§8.6.3, §8.5.1); a brown-out clears it to 0.</summary>
    Calibration = 0x05,
}

/// <summary>BRNG, bit 13 (§8.6.2.1): bus voltage full-scale range.</summary>
public enum Ina219BusRange : byte
{
    /// <summary>0-16 V full scale: enough for a 12 V battery, and the bus reading keeps the same 4 mV LSB.</summary>
    Volts16 = 0,
    /// <summary>0-32 V full scale (the power-on value); the pin itself tolerates at most 26 V (§7.1).</summary>
    Volts32 = 1,
}

/// <summary>PG, bits 12:11 (§8.6.2.1, table 4): shunt voltage range through the programmable gain.</summary>
public enum Ina219ShuntRange : byte
{
    /// <summary>Gain /1, ±40 mV across the shunt: finest current resolution for small currents.</summary>
    Millivolts40 = 0,
    /// <summary>Gain /2, ±80 mV.</summary>
    Millivolts80 = 1,
    /// <summary>Gain /4, ±160 mV.</summary>
    Millivolts160 = 2,
    /// <summary>Gain /8, ±320 mV (the power-on value): the widest current range for a given shunt.</summary>
    Millivolts320 = 3,
}

/// <summary>
/// BADC bits 10:7 and SADC bits 6:3 (§8.6.2.1, table 5): resolution or averaging. 0X00..0X11 are 9..12-bit single
/// conversions (bit 3 of the field ignored); 1000 is 12-bit; 1001..1111 average 2..128 12-bit samples.
/// </summary>
public enum Ina219Adc : byte
{
    /// <summary>One 9-bit conversion, 84 µs.</summary>
    Bits9 = 0x0,
    /// <summary>One 10-bit conversion, 148 µs.</summary>
    Bits10 = 0x1,
    /// <summary>One 11-bit conversion, 276 µs.</summary>
    Bits11 = 0x2,
    /// <summary>One 12-bit conversion, 532 µs (the power-on value; the profile's <c>1</c> sample).</summary>
    Bits12 = 0x3,
    /// <summary>Average of 2 12-bit samples, 1.06 ms.</summary>
    Samples2 = 0x9,
    /// <summary>Average of 4, 2.13 ms.</summary>
    Samples4 = 0xA,
    /// <summary>Average of 8, 4.26 ms.</summary>
    Samples8 = 0xB,
    /// <summary>Average of 16, 8.51 ms.</summary>
    Samples16 = 0xC,
    /// <summary>Average of 32, 17.02 ms.</summary>
    Samples32 = 0xD,
    /// <summary>Average of 64, 34.05 ms.</summary>
    Samples64 = 0xE,
    /// <summary>Average of 128, 68.10 ms: the smoothest reading of a noisy load (a radio, a motor).</summary>
    Samples128 = 0xF,
}

/// <summary>MODE, bits 2:0 (§8.6.2.1, table 6).</summary>
public enum Ina219Mode : byte
{
    /// <summary>Power-down: no conversions, about 6 µA.</summary>
    PowerDown = 0,
    /// <summary>One shunt conversion per configuration write.</summary>
    ShuntTriggered = 1,
    /// <summary>One bus conversion per configuration write.</summary>
    BusTriggered = 2,
    /// <summary>One shunt and one bus conversion per configuration write: the profile's <c>triggered</c>, which saves power between samples.</summary>
    ShuntAndBusTriggered = 3,
    /// <summary>ADC off (disabled), registers still readable.</summary>
    AdcOff = 4,
    /// <summary>Shunt voltage converted continuously.</summary>
    ShuntContinuous = 5,
    /// <summary>Bus voltage converted continuously.</summary>
    BusContinuous = 6,
    /// <summary>Both converted continuously (the power-on value and the profile's <c>continuous</c>).</summary>
    ShuntAndBusContinuous = 7,
}
