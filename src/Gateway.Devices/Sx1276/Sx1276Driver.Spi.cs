namespace Gateway.Devices.Sx1276;

public sealed partial class Sx1276Driver
{
    /// <summary>§4.3 SPI: first byte wnr (bit 7: 1 write, 0 read) and the 7-bit address, then data; NSS low throughout.</summary>
    private const byte WriteBit = 0x80;

    /// <summary>Reads one register.</summary>
    public byte Read(Sx1276Register register)
    {
        Span<byte> tx = [(byte)((byte)register & 0x7F), 0x00];
        Span<byte> rx = stackalloc byte[2];
        _spi.TransferFullDuplex(tx, rx);
        return rx[1];
    }

    /// <summary>Writes one register.</summary>
    public void Write(Sx1276Register register, byte value)
    {
        Span<byte> tx = [(byte)((byte)register | WriteBit), value];
        Span<byte> rx = stackalloc byte[2];
        _spi.TransferFullDuplex(tx, rx);
    }

    /// <summary>Burst read: the address auto-increments, except at RegFifo where the FIFO pointer does (§4.3).</summary>
    private void ReadBurst(Sx1276Register register, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        Span<byte> tx = stackalloc byte[MaxPayload + 1];
        Span<byte> rx = stackalloc byte[MaxPayload + 1];
        tx.Clear();
        tx[0] = (byte)((byte)register & 0x7F);
        _spi.TransferFullDuplex(tx[..(destination.Length + 1)], rx[..(destination.Length + 1)]);
        rx.Slice(1, destination.Length).CopyTo(destination);
    }
}
