using Gateway.Core.Counters;

namespace Gateway.Devices.Sx1276;

/// <summary>
/// One received LoRa packet: its length in the caller's buffer, the packet RSSI in dBm and SNR in dB (§5.5.5), and
/// whether the payload CRC failed (such packets are counted and never handed on).
/// </summary>
internal readonly record struct LoraPacket(int Length, double RssiDbm, double SnrDb);

/// <summary>What the radio has seen since start. Read from any thread.</summary>
internal sealed class Sx1276Statistics
{
    private readonly AtomicCounter _packets = new();
    private readonly AtomicCounter _crcErrors = new();
    private readonly AtomicCounter _resets = new();
    private readonly AtomicCounter _oversized = new();

    /// <summary>Packets received with a good CRC.</summary>
    public long Packets => _packets.Value;

    /// <summary>Packets whose payload CRC failed (RegIrqFlags PayloadCrcError): interference or a weak link.</summary>
    public long CrcErrors => _crcErrors.Value;

    /// <summary>Times the chip stopped answering or lost its configuration and was reset and re-initialised.</summary>
    public long Resets => _resets.Value;

    /// <summary>Packets larger than the caller's buffer, dropped.</summary>
    public long Oversized => _oversized.Value;

    internal void OnPacket() => _packets.Increment();
    internal void OnCrcError() => _crcErrors.Increment();
    internal void OnReset() => _resets.Increment();
    internal void OnOversized() => _oversized.Increment();

    /// <summary>Every counter on one line, for logs.</summary>
    public override string ToString() => $"packets {Packets}, CRC errors {CrcErrors}, resets {Resets}, oversized {Oversized}";
}
