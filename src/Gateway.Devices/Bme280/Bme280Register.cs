namespace Gateway.Devices.Bme280;

/// <summary>BME280 register addresses (Bosch BST-BME280-DS002 §5.3, table 18).</summary>
public enum Bme280Register : byte
{
    /// <summary>First byte of the low calibration block dig_T1..dig_P9, then 0xA1 dig_H1 (§4.2.2).</summary>
    CalibrationLow = 0x88,
    ChipId = 0xD0,
    Reset = 0xE0,
    /// <summary>First byte of the high calibration block dig_H2..dig_H6 (0xE1..0xE7, §4.2.2).</summary>
    CalibrationHigh = 0xE1,
    CtrlHum = 0xF2,
    Status = 0xF3,
    CtrlMeas = 0xF4,
    Config = 0xF5,
    /// <summary>press_msb; the burst 0xF7..0xFE holds pressure, temperature, humidity (§4, "data readout").</summary>
    PressMsb = 0xF7,
    TempMsb = 0xFA,
    HumMsb = 0xFD,
}

/// <summary>osrs_t / osrs_p / osrs_h (§5.4.3, §5.4.5): 0 skips the measurement; 5, 6 and 7 all mean ×16.</summary>
public enum Bme280Oversampling : byte
{
    Skipped = 0,
    X1 = 1,
    X2 = 2,
    X4 = 3,
    X8 = 4,
    X16 = 5,
}

/// <summary>mode[1:0] of ctrl_meas (§5.4.5, §3.3): 01 and 10 are both forced.</summary>
public enum Bme280Mode : byte
{
    Sleep = 0,
    Forced = 1,
    Forced2 = 2,
    Normal = 3,
}

/// <summary>filter[2:0] of config (§5.4.6, §3.4.4): IIR filter coefficient; 5..7 all mean 16.</summary>
public enum Bme280Filter : byte
{
    Off = 0,
    Coefficient2 = 1,
    Coefficient4 = 2,
    Coefficient8 = 3,
    Coefficient16 = 4,
}

/// <summary>t_sb[2:0] of config (§5.4.6, table 27): standby time between normal-mode measurements.</summary>
public enum Bme280Standby : byte
{
    Ms0_5 = 0,
    Ms62_5 = 1,
    Ms125 = 2,
    Ms250 = 3,
    Ms500 = 4,
    Ms1000 = 5,
    Ms10 = 6,
    Ms20 = 7,
}
