namespace Gateway.Devices.Sx1276;

/// <summary>
/// SX1276 registers used in LoRa mode (Semtech SX1276/77/78/79 datasheet Rev. 7, §6.1 register table and §6.4 LoRa
/// register map). Addresses are 7 bits: on SPI the first byte is wnr (bit 7, 1 = write) followed by the address (§4.3).
/// </summary>
public enum Sx1276Register : byte
{
    /// <summary>LoRa FIFO read/write access; bursts at this address walk the FIFO pointer (§4.1.2.3).</summary>
    Fifo = 0x00,
    OpMode = 0x01,
    FrfMsb = 0x06,
    FrfMid = 0x07,
    FrfLsb = 0x08,
    PaConfig = 0x09,
    Lna = 0x0C,
    FifoAddrPtr = 0x0D,
    FifoTxBaseAddr = 0x0E,
    FifoRxBaseAddr = 0x0F,
    FifoRxCurrentAddr = 0x10,
    IrqFlagsMask = 0x11,
    IrqFlags = 0x12,
    RxNbBytes = 0x13,
    ValidHeaderCntMsb = 0x14,
    ValidHeaderCntLsb = 0x15,
    ValidPacketCntMsb = 0x16,
    ValidPacketCntLsb = 0x17,
    ModemStat = 0x18,
    PktSnrValue = 0x19,
    PktRssiValue = 0x1A,
    RssiValue = 0x1B,
    HopChannel = 0x1C,
    ModemConfig1 = 0x1D,
    ModemConfig2 = 0x1E,
    SymbTimeoutLsb = 0x1F,
    PreambleMsb = 0x20,
    PreambleLsb = 0x21,
    PayloadLength = 0x22,
    MaxPayloadLength = 0x23,
    FifoRxByteAddr = 0x25,
    ModemConfig3 = 0x26,
    DetectOptimize = 0x31,
    DetectionThreshold = 0x37,
    SyncWord = 0x39,
    DioMapping1 = 0x40,
    /// <summary>Silicon revision: 0x12 on the SX1276 (§6.2, RegVersion).</summary>
    Version = 0x42,
}

/// <summary>RegOpMode Mode[2:0] (§6.4, table 42).</summary>
public enum Sx1276Mode : byte
{
    Sleep = 0,
    Standby = 1,
    FrequencySynthesisTx = 2,
    Transmit = 3,
    FrequencySynthesisRx = 4,
    ReceiveContinuous = 5,
    ReceiveSingle = 6,
    ChannelActivityDetection = 7,
}

/// <summary>RegIrqFlags (§6.4): write a 1 to clear a flag.</summary>
[Flags]
public enum Sx1276IrqFlags : byte
{
    None = 0,
    CadDetected = 1 << 0,
    FhssChangeChannel = 1 << 1,
    CadDone = 1 << 2,
    TxDone = 1 << 3,
    ValidHeader = 1 << 4,
    PayloadCrcError = 1 << 5,
    RxDone = 1 << 6,
    RxTimeout = 1 << 7,
}

/// <summary>RegModemConfig1 Bw[7:4] (§6.4): signal bandwidth.</summary>
public enum LoraBandwidth : byte
{
    Khz7_8 = 0,
    Khz10_4 = 1,
    Khz15_6 = 2,
    Khz20_8 = 3,
    Khz31_25 = 4,
    Khz41_7 = 5,
    Khz62_5 = 6,
    Khz125 = 7,
    Khz250 = 8,
    Khz500 = 9,
}

/// <summary>RegModemConfig1 CodingRate[3:1] (§6.4): 4/5 to 4/8.</summary>
public enum LoraCodingRate : byte
{
    Cr4_5 = 1,
    Cr4_6 = 2,
    Cr4_7 = 3,
    Cr4_8 = 4,
}
