namespace Gateway.Devices.Bme280;

/// <summary>BME280 register addresses (Bosch BST-BME280-DS002 §5.3, table 18).</summary>
public enum Bme280Register : byte
{
    /// <summary>First byte of the low calibration block dig_T1..dig_P9, then 0xA1 dig_H1 (§4.2.2).</summary>
    CalibrationLow = 0x88,
    /// <summary>id: reads 0x60 on a BME280 (§5.4.1); how a probe tells it from a BMP280.</summary>
    ChipId = 0xD0,
    /// <summary>reset: writing 0xB6 runs the power-on reset (§5.4.2); other values are ignored.</summary>
    Reset = 0xE0,
    /// <summary>First byte of the high calibration block dig_H2..dig_H6 (0xE1..0xE7, §4.2.2).</summary>
    CalibrationHigh = 0xE1,
    /// <summary>ctrl_hum: humidity oversampling; takes effect only after the next ctrl_meas write (§5.4.3).</summary>
    CtrlHum = 0xF2,
    /// <summary>status: the measuring and im_update busy bits (§5.4.4).</summary>
    Status = 0xF3,
    /// <summary>ctrl_meas: temperature and pressure oversampling and the mode; writing forced mode starts a measurement (§5.4.5).</summary>
    CtrlMeas = 0xF4,
    /// <summary>config: standby time, IIR filter, 3-wire SPI; writes may be ignored in normal mode, so write it asleep (§5.4.6).</summary>
    Config = 0xF5,
    /// <summary>press_msb; the burst 0xF7..0xFE holds pressure, temperature, humidity (§4, "data readout").</summary>
    PressMsb = 0xF7,
    /// <summary>temp_msb: start of the 20-bit temperature reading, inside the pressure-first burst (§5.4.8).</summary>
    TempMsb = 0xFA,
    /// <summary>hum_msb: start of the 16-bit humidity reading, the last two bytes of the burst (§5.4.9).</summary>
    HumMsb = 0xFD,
}

/// <summary>osrs_t / osrs_p / osrs_h (§5.4.3, §5.4.5): 0 skips the measurement; 5, 6 and 7 all mean ×16.</summary>
public enum Bme280Oversampling : byte
{
    /// <summary>The channel is not measured and its data registers keep 0x80000 (0x8000 for humidity), read as NaN.</summary>
    Skipped = 0,
    /// <summary>One sample: 16-bit temperature/pressure resolution; the weather-monitoring setting (§3.5.1).</summary>
    X1 = 1,
    /// <summary>Two samples averaged (17-bit pressure/temperature resolution), 2.3 ms more per channel.</summary>
    X2 = 2,
    /// <summary>Four samples averaged (18-bit), lower noise at four times the conversion time.</summary>
    X4 = 3,
    /// <summary>Eight samples averaged (19-bit).</summary>
    X8 = 4,
    /// <summary>Sixteen samples averaged (20-bit); the slowest, 16 × 2.3 ms per channel (§9.1).</summary>
    X16 = 5,
}

/// <summary>mode[1:0] of ctrl_meas (§5.4.5, §3.3): 01 and 10 are both forced.</summary>
public enum Bme280Mode : byte
{
    /// <summary>No measurements, lowest power; the state after reset and between forced measurements.</summary>
    Sleep = 0,
    /// <summary>One measurement, then back to sleep (§3.3.3); what this driver uses by default.</summary>
    Forced = 1,
    /// <summary>The second encoding of forced mode (binary 10): the part treats it as <see cref="Forced"/>.</summary>
    Forced2 = 2,
    /// <summary>The part measures on its own, every conversion time plus <see cref="Bme280Standby"/> (§3.3.4).</summary>
    Normal = 3,
}

/// <summary>filter[2:0] of config (§5.4.6, §3.4.4): IIR filter coefficient; 5..7 all mean 16.</summary>
public enum Bme280Filter : byte
{
    /// <summary>No filtering: each reading is one measurement (the weather-monitoring setting, §3.5.1).</summary>
    Off = 0,
    /// <summary>Coefficient 2: a step change reaches 75 % after 2 samples (§3.4.4, table 6).</summary>
    Coefficient2 = 1,
    /// <summary>Coefficient 4: 75 % of a step after 5 samples.</summary>
    Coefficient4 = 2,
    /// <summary>Coefficient 8: 75 % of a step after 11 samples.</summary>
    Coefficient8 = 3,
    /// <summary>Coefficient 16: 75 % of a step after 22 samples; smooths a slammed door or a gust out of pressure (§3.4.4).</summary>
    Coefficient16 = 4,
}

/// <summary>t_sb[2:0] of config (§5.4.6, table 27): standby time between normal-mode measurements.</summary>
public enum Bme280Standby : byte
{
    /// <summary>0.5 ms.</summary>
    Ms0_5 = 0,
    /// <summary>62.5 ms.</summary>
    Ms62_5 = 1,
    /// <summary>125 ms.</summary>
    Ms125 = 2,
    /// <summary>250 ms.</summary>
    Ms250 = 3,
    /// <summary>500 ms.</summary>
    Ms500 = 4,
    /// <summary>1000 ms; the default, one normal-mode measurement a second.</summary>
    Ms1000 = 5,
    /// <summary>10 ms (a BME280 code; the BMP280 reads this value as 2000 ms).</summary>
    Ms10 = 6,
    /// <summary>20 ms (a BME280 code; the BMP280 reads this value as 4000 ms).</summary>
    Ms20 = 7,
}
