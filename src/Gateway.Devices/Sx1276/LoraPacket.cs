namespace Gateway.Devices.Sx1276;

/// <summary>
/// One received LoRa packet: its length in the caller's buffer, the packet RSSI in dBm and SNR in dB (§5.5.5), and
/// whether the payload CRC failed (such packets are counted and never handed on).
/// </summary>
public readonly record struct LoraPacket(int Length, double RssiDbm, double SnrDb);

/// <summary>What the radio has seen since start. Read from any thread.</summary>
public sealed class Sx1276Statistics
{
    private long _packets, _crcErrors, _resets, _oversized;

    /// <summary>Packets received with a good CRC.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Packets whose payload CRC failed (RegIrqFlags PayloadCrcError): interference or a weak link.</summary>
    public long CrcErrors => Interlocked.Read(ref _crcErrors);

    /// <summary>Times the chip stopped answering or lost its configuration and was reset and re-initialised.</summary>
    public long Resets => Interlocked.Read(ref _resets);

    /// <summary>Packets larger than the caller's buffer, dropped.</summary>
    public long Oversized => Interlocked.Read(ref _oversized);

    internal void OnPacket() => Interlocked.Increment(ref _packets);
    internal void OnCrcError() => Interlocked.Increment(ref _crcErrors);
    internal void OnReset() => Interlocked.Increment(ref _resets);
    internal void OnOversized() => Interlocked.Increment(ref _oversized);

    public override string ToString() => $"packets {Packets}, CRC errors {CrcErrors}, resets {Resets}, oversized {Oversized}";
}
