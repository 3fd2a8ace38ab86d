namespace Gateway.Devices.Sx1276;

/// <summary>
/// SX1276 registers used in LoRa mode (Semtech SX1276/77/78/79 datasheet Rev. 7, §6.1 register table and §6.4 LoRa
/// register map). Addresses are 7 bits: on SPI the first byte is wnr (bit 7, 1 = write) followed by the address (§4.3).
/// </summary>
public enum Sx1276Register : byte
{
    /// <summary>LoRa FIFO read/write access; bursts at this address walk the FIFO pointer (§4.1.2.3).</summary>
    Fifo = 0x00,
    /// <summary>RegOpMode: LoRa/FSK, low-frequency mode and the transceiver mode (<see cref="Sx1276OpMode"/>).</summary>
    OpMode = 0x01,
    /// <summary>RegFrfMsb: carrier frequency bits 23:16, in 61.035 Hz steps (F_XOSC / 2^19, §4.1.4).</summary>
    FrfMsb = 0x06,
    /// <summary>RegFrfMid: carrier frequency bits 15:8.</summary>
    FrfMid = 0x07,
    /// <summary>RegFrfLsb: carrier frequency bits 7:0; the frequency changes when this byte is written.</summary>
    FrfLsb = 0x08,
    /// <summary>RegPaConfig: transmit power amplifier (unused by a receive-only gateway).</summary>
    PaConfig = 0x09,
    /// <summary>RegLna: receiver gain and LNA current boost.</summary>
    Lna = 0x0C,
    /// <summary>RegFifoAddrPtr: where the next <see cref="Fifo"/> access reads or writes.</summary>
    FifoAddrPtr = 0x0D,
    /// <summary>RegFifoTxBaseAddr: start of the transmit area of the 256-byte FIFO.</summary>
    FifoTxBaseAddr = 0x0E,
    /// <summary>RegFifoRxBaseAddr: start of the receive area; 0 gives reception the whole FIFO.</summary>
    FifoRxBaseAddr = 0x0F,
    /// <summary>RegFifoRxCurrentAddr: where the last received packet starts.</summary>
    FifoRxCurrentAddr = 0x10,
    /// <summary>RegIrqFlagsMask: a set bit masks that interrupt off DIO0..5.</summary>
    IrqFlagsMask = 0x11,
    /// <summary>RegIrqFlags: RxDone, PayloadCrcError and the other interrupt flags; write 1 to clear.</summary>
    IrqFlags = 0x12,
    /// <summary>RegRxNbBytes: length of the last received packet.</summary>
    RxNbBytes = 0x13,
    /// <summary>RegValidHeaderCntValueMsb: headers received since the last sleep, bits 15:8.</summary>
    ValidHeaderCntMsb = 0x14,
    /// <summary>RegValidHeaderCntValueLsb: bits 7:0.</summary>
    ValidHeaderCntLsb = 0x15,
    /// <summary>RegValidPacketCntValueMsb: packets received since the last sleep, bits 15:8.</summary>
    ValidPacketCntMsb = 0x16,
    /// <summary>RegValidPacketCntValueLsb: bits 7:0.</summary>
    ValidPacketCntLsb = 0x17,
    /// <summary>RegModemStat: live modem status (signal detected, synchronised, header valid, RX on going).</summary>
    ModemStat = 0x18,
    /// <summary>RegPktSnrValue: SNR of the last packet, two's complement in 0.25 dB steps (§5.5.5).</summary>
    PktSnrValue = 0x19,
    /// <summary>RegPktRssiValue: RSSI of the last packet, before the port offset (§5.5.5).</summary>
    PktRssiValue = 0x1A,
    /// <summary>RegRssiValue: current RSSI (the noise floor when nothing transmits), before the port offset (§5.5.5).</summary>
    RssiValue = 0x1B,
    /// <summary>RegHopChannel: frequency-hopping channel and the CRC-on-payload flag of the last header.</summary>
    HopChannel = 0x1C,
    /// <summary>RegModemConfig1: bandwidth, coding rate, implicit header.</summary>
    ModemConfig1 = 0x1D,
    /// <summary>RegModemConfig2: spreading factor, payload CRC, symbol timeout bits 9:8.</summary>
    ModemConfig2 = 0x1E,
    /// <summary>RegSymbTimeoutLsb: single-receive timeout in symbols, bits 7:0.</summary>
    SymbTimeoutLsb = 0x1F,
    /// <summary>RegPreambleMsb: preamble length in symbols, bits 15:8; must match the transmitters'.</summary>
    PreambleMsb = 0x20,
    /// <summary>RegPreambleLsb: bits 7:0.</summary>
    PreambleLsb = 0x21,
    /// <summary>RegPayloadLength: payload length in implicit-header mode (unused: the tags send explicit headers).</summary>
    PayloadLength = 0x22,
    /// <summary>RegMaxPayloadLength: longer packets are rejected by the chip; 0xFF accepts all.</summary>
    MaxPayloadLength = 0x23,
    /// <summary>RegFifoRxByteAddr: address of the last byte written to the FIFO in receive.</summary>
    FifoRxByteAddr = 0x25,
    /// <summary>RegModemConfig3: low data rate optimisation and automatic gain control.</summary>
    ModemConfig3 = 0x26,
    /// <summary>RegDetectOptimize: 0xC3 for SF7-12, 0xC5 for SF6 (§6.4).</summary>
    DetectOptimize = 0x31,
    /// <summary>RegDetectionThreshold: 0x0A for SF7-12, 0x0C for SF6 (§6.4).</summary>
    DetectionThreshold = 0x37,
    /// <summary>RegSyncWord: the network's sync word; packets with another are ignored (0x34 is LoRaWAN's public one).</summary>
    SyncWord = 0x39,
    /// <summary>RegDioMapping1: what DIO0..3 signal; 00 on DIO0 is RxDone in LoRa mode (§4.1.6, table 18).</summary>
    DioMapping1 = 0x40,
    /// <summary>Silicon revision: 0x12 on the SX1276 (§6.2, RegVersion).</summary>
    Version = 0x42,
}

/// <summary>RegOpMode Mode[2:0] (§6.4, table 42).</summary>
public enum Sx1276Mode : byte
{
    /// <summary>Lowest power; FIFO not accessible. LongRangeMode may change only here.</summary>
    Sleep = 0,
    /// <summary>Oscillator running, ready for a quick switch to receive.</summary>
    Standby = 1,
    /// <summary>Synthesiser locked on the transmit frequency.</summary>
    FrequencySynthesisTx = 2,
    /// <summary>Sends the FIFO's packet, then returns to standby.</summary>
    Transmit = 3,
    /// <summary>Synthesiser locked on the receive frequency.</summary>
    FrequencySynthesisRx = 4,
    /// <summary>Receives packets until told otherwise: the gateway's normal state.</summary>
    ReceiveContinuous = 5,
    /// <summary>Receives one packet or times out, then returns to standby.</summary>
    ReceiveSingle = 6,
    /// <summary>Looks for a LoRa preamble on the channel (CAD), then returns to standby.</summary>
    ChannelActivityDetection = 7,
}

/// <summary>RegIrqFlags (§6.4): write a 1 to clear a flag.</summary>
[Flags]
internal enum Sx1276IrqFlags : byte
{
    /// <summary>No flag set.</summary>
    None = 0,
    /// <summary>CAD found a preamble.</summary>
    CadDetected = 1 << 0,
    /// <summary>Frequency hopping: time to change channel.</summary>
    FhssChangeChannel = 1 << 1,
    /// <summary>CAD finished.</summary>
    CadDone = 1 << 2,
    /// <summary>A packet was sent.</summary>
    TxDone = 1 << 3,
    /// <summary>A valid header was received.</summary>
    ValidHeader = 1 << 4,
    /// <summary>The payload CRC failed: the packet is counted and dropped.</summary>
    PayloadCrcError = 1 << 5,
    /// <summary>A packet is in the FIFO (DIO0 rises with it).</summary>
    RxDone = 1 << 6,
    /// <summary>Single receive timed out.</summary>
    RxTimeout = 1 << 7,
}

/// <summary>RegModemConfig1 Bw[7:4] (§6.4): signal bandwidth.</summary>
public enum LoraBandwidth : byte
{
    /// <summary>7.8 kHz.</summary>
    Khz7_8 = 0,
    /// <summary>10.4 kHz.</summary>
    Khz10_4 = 1,
    /// <summary>15.6 kHz.</summary>
    Khz15_6 = 2,
    /// <summary>20.8 kHz.</summary>
    Khz20_8 = 3,
    /// <summary>31.25 kHz.</summary>
    Khz31_25 = 4,
    /// <summary>41.7 kHz.</summary>
    Khz41_7 = 5,
    /// <summary>62.5 kHz.</summary>
    Khz62_5 = 6,
    /// <summary>125 kHz: the usual LoRa bandwidth in the EU868 and US915 plans.</summary>
    Khz125 = 7,
    /// <summary>250 kHz.</summary>
    Khz250 = 8,
    /// <summary>500 kHz: the fastest, shortest range.</summary>
    Khz500 = 9,
}

/// <summary>RegModemConfig1 CodingRate[3:1] (§6.4): 4/5 to 4/8.</summary>
public enum LoraCodingRate : byte
{
    /// <summary>4/5: one redundancy bit per four, the least overhead.</summary>
    Cr4_5 = 1,
    /// <summary>4/6.</summary>
    Cr4_6 = 2,
    /// <summary>4/7.</summary>
    Cr4_7 = 3,
    /// <summary>4/8: the most robust against bursts of interference, twice the airtime of the payload bits.</summary>
    Cr4_8 = 4,
}
