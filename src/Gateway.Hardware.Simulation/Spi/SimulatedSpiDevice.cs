using Gateway.Hardware.Spi;

namespace Gateway.Hardware.Simulation.Spi;

/// <summary>A device model on a simulated chip select: it sees each transfer as the wire would (one NSS-low period).</summary>
public abstract class SpiDeviceModel
{
    /// <summary>One transfer: <paramref name="mosi"/> clocked in while <paramref name="miso"/> is clocked out.</summary>
    public abstract void Transfer(ReadOnlySpan<byte> mosi, Span<byte> miso);
}

/// <summary>
/// An <see cref="SpiDevice"/> wired to a <see cref="SpiDeviceModel"/>, so drivers run unchanged against the model.
/// Transfers are serialised, as the bus serialises them. With no model attached (nothing on the chip select) MISO
/// floats high and every byte reads 0xFF, as on a real board with a pull-up.
/// </summary>
public sealed class SimulatedSpiDevice : SpiDevice
{
    private readonly Lock _gate = new();
    private readonly SpiConnectionSettings _settings;
    private readonly SpiDeviceModel? _model;
    private bool _disposed;

    /// <param name="settings">The bus and chip select it stands for.</param>
    /// <param name="model">The device on the chip select; null for an empty one (reads 0xFF).</param>
    public SimulatedSpiDevice(SpiConnectionSettings settings, SpiDeviceModel? model)
    {
        _settings = settings;
        _model = model;
    }

    /// <inheritdoc/>
    public override SpiConnectionSettings Settings => _settings;

    /// <summary>Transfers done, for tests.</summary>
    public long Transfers { get; private set; }

    /// <inheritdoc/>
    public override void TransferFullDuplex(ReadOnlySpan<byte> write, Span<byte> read)
    {
        if (write.Length != read.Length) throw new ArgumentException("A full-duplex transfer writes and reads the same number of bytes.");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Transfers++;
            if (_model is null) read.Fill(0xFF);
            else _model.Transfer(write, read);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _disposed = true;
}
