using Gateway.Hardware.Gpio;
using Gateway.Hardware.I2c;
using Gateway.Hardware.Spi;

namespace Gateway.Agent.Composition;

/// <summary>
/// Opens the kernel device on first use and again after a failure, so a missing or unplugged device becomes an
/// <see cref="IOException"/> inside its source (logged, restarted with backoff) and recovers by itself when the device
/// comes back, instead of stopping the agent at start.
/// </summary>
internal sealed class LazyI2cDevice(Func<I2cDevice> open, I2cConnectionSettings settings) : I2cDevice
{
    private I2cDevice? _device;

    public override I2cConnectionSettings Settings => settings;

    public override void Read(Span<byte> buffer)
    {
        try { Device.Read(buffer); }
        catch (IOException) { Drop(); throw; }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try { Device.Write(buffer); }
        catch (IOException) { Drop(); throw; }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        try { Device.WriteRead(writeBuffer, readBuffer); }
        catch (IOException) { Drop(); throw; }
    }

    private I2cDevice Device => _device ??= open();

    private void Drop()
    {
        _device?.Dispose();
        _device = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Drop();
    }
}

/// <summary>The SPI counterpart of <see cref="LazyI2cDevice"/>.</summary>
internal sealed class LazySpiDevice(Func<SpiDevice> open, SpiConnectionSettings settings) : SpiDevice
{
    private SpiDevice? _device;

    public override SpiConnectionSettings Settings => settings;

    public override void TransferFullDuplex(ReadOnlySpan<byte> write, Span<byte> read)
    {
        try
        {
            (_device ??= open()).TransferFullDuplex(write, read);
        }
        catch (IOException)
        {
            _device?.Dispose();
            _device = null;
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _device?.Dispose();
    }
}

/// <summary>A GPIO chip opened on the first request (and again if opening failed before).</summary>
internal sealed class LazyGpioChip(Func<GpioChip> open, string name) : GpioChip
{
    private readonly Lock _gate = new();
    private GpioChip? _chip;

    public override string Name => _chip?.Name ?? name;

    public override int LineCount => Chip.LineCount;

    public override GpioLineRequest RequestLines(GpioRequestOptions options) => Chip.RequestLines(options);

    private GpioChip Chip
    {
        get
        {
            lock (_gate) return _chip ??= open();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _chip?.Dispose();
    }
}
