namespace Gateway.Devices.Sx1276;

public sealed partial class Sx1276Driver
{
    /// <summary>
    /// Takes the packet that raised RxDone, if any: reads and clears RegIrqFlags, drops (and counts) a packet whose
    /// payload CRC failed, otherwise copies the payload from the FIFO into <paramref name="payload"/> (§4.1.2.3:
    /// RegFifoAddrPtr = RegFifoRxCurrentAddr, then RegRxNbBytes reads of RegFifo). Returns false when nothing usable
    /// was waiting. The bytes in <paramref name="payload"/> are the caller's.
    /// </summary>
    internal bool TryReadPacket(Span<byte> payload, out LoraPacket packet)
    {
        packet = default;
        var flags = (Sx1276IrqFlags)Read(Sx1276Register.IrqFlags);
        if ((flags & Sx1276IrqFlags.RxDone) == 0) return false;
        var read = ReadReceived(flags, payload, out packet);
        // Cleared only now that the packet is out of the chip: DIO0 falling then means "read", and the packet
        // registers (RegRxNbBytes, RegFifoRxCurrentAddr, RegPkt*) were all read for the same packet.
        Write(Sx1276Register.IrqFlags, (byte)flags); // write-1-to-clear; DIO0 falls
        return read;
    }

    private bool ReadReceived(Sx1276IrqFlags flags, Span<byte> payload, out LoraPacket packet)
    {
        packet = default;
        if ((flags & Sx1276IrqFlags.PayloadCrcError) != 0)
        {
            Statistics.OnCrcError();
            return false;
        }
        var length = Read(Sx1276Register.RxNbBytes);
        if (length > payload.Length)
        {
            Statistics.OnOversized();
            return false;
        }
        Write(Sx1276Register.FifoAddrPtr, Read(Sx1276Register.FifoRxCurrentAddr));
        ReadBurst(Sx1276Register.Fifo, payload[..length]);
        var snrRaw = (sbyte)Read(Sx1276Register.PktSnrValue);
        var rssiRaw = Read(Sx1276Register.PktRssiValue);
        Statistics.OnPacket();
        packet = new LoraPacket(length, PacketRssi(rssiRaw, snrRaw, Plan.LowFrequencyPort), snrRaw / 4.0);
        return true;
    }

    /// <summary>
    /// The current RSSI (RegRssiValue) in dBm: with no packet on the air, the channel's noise floor.
    /// §5.5.5: RSSI = -157 + RssiValue on the HF port, -164 + RssiValue on the LF port.
    /// </summary>
    public double ReadRssi() => ReadRssi(Plan.LowFrequencyPort);

    /// <summary>As <see cref="ReadRssi()"/> for a chip configured by someone else (the agent), given its port.</summary>
    public double ReadRssi(bool lowFrequencyPort) => (lowFrequencyPort ? -164 : -157) + Read(Sx1276Register.RssiValue);

    /// <summary>
    /// Packet RSSI, SX1276 datasheet Rev. 7 §5.5.5 ("RSSI and SNR in LoRa mode"), the one formula we use:
    /// SNR ≥ 0: RSSI = offset + 16/15 × PacketRssi; SNR &lt; 0: RSSI = offset + PacketRssi + PacketSnr × 0.25,
    /// with offset -157 dBm on the HF port and -164 dBm on the LF port. PacketSnr is the signed register value
    /// (SNR in dB = PacketSnr / 4).
    /// </summary>
    public static double PacketRssi(byte packetRssi, sbyte packetSnr, bool lowFrequencyPort)
    {
        var offset = lowFrequencyPort ? -164.0 : -157.0;
        return packetSnr >= 0 ? offset + (16.0 / 15.0 * packetRssi) : offset + packetRssi + (packetSnr * 0.25);
    }
}
