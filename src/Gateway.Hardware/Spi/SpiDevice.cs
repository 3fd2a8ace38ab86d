namespace Gateway.Hardware.Spi;

/// <summary>
/// One device on an SPI bus (a chip select). Drivers take this abstract class and never open <c>/dev/spidev*</c>
/// themselves (STYLE.md habit 2); the spidev implementation and the simulation both derive from it. Errors are
/// <see cref="IOException"/>s naming the device and what to check.
/// </summary>
public abstract class SpiDevice : IDisposable
{
    /// <summary>Bus, chip select, clock and mode, for messages.</summary>
    public abstract SpiConnectionSettings Settings { get; }

    /// <summary>
    /// One full-duplex transfer with chip select held low throughout: <paramref name="write"/> is clocked out while
    /// the same number of bytes is clocked into <paramref name="read"/>. Both spans have the same length.
    /// </summary>
    public abstract void TransferFullDuplex(ReadOnlySpan<byte> write, Span<byte> read);

    /// <summary>Releases the device's file descriptor; idempotent.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Where a subclass releases what it holds (a descriptor, a simulation's state); <paramref name="disposing"/> is
    /// false only from a finalizer, where managed objects must not be touched.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Which bus and chip select (<c>/dev/spidevB.C</c>), the clock in Hz and the SPI mode (0..3: CPOL, CPHA).</summary>
public readonly record struct SpiConnectionSettings(int BusId, int ChipSelect, int ClockHz = 1_000_000, int Mode = 0)
{
    /// <summary><c>spidev0.0</c>, as messages name the device.</summary>
    public override string ToString() => $"spidev{BusId}.{ChipSelect}";
}
