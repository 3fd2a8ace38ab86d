using Gateway.Hardware.I2c;

namespace Gateway.Hardware.Simulation.I2c;

/// <summary>
/// A simulated I2C bus (the N of <c>/dev/i2c-N</c>) with register models attached at 7-bit addresses. Devices created
/// from it are real <see cref="I2cDevice"/>s, so drivers run unchanged. Transfers are serialised per bus, as the
/// wire serialises them.
/// </summary>
public sealed class SimulatedI2cBus : I2cBus
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, I2cRegisterModel> _models = [];

    /// <param name="busId">The bus number reported in messages (1 on a Raspberry Pi).</param>
    public SimulatedI2cBus(int busId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(busId);
        BusId = busId;
    }

    /// <inheritdoc/>
    public override int BusId { get; }

    /// <summary>Attaches <paramref name="model"/> at <paramref name="address"/> (7-bit, 0x03..0x77).</summary>
    public void Attach(int address, I2cRegisterModel model)
    {
        ValidateAddress(address);
        ArgumentNullException.ThrowIfNull(model);
        lock (_gate)
        {
            if (!_models.TryAdd(address, model))
                throw new InvalidOperationException($"i2c-{BusId} address 0x{address:X2} already has a device attached.");
        }
    }

    /// <summary>
    /// A device handle for <paramref name="address"/>. Nothing needs to be attached yet; with nothing attached every
    /// transfer throws an <see cref="IOException"/>, as a NACK does on real hardware. Caller disposes.
    /// </summary>
    public override I2cDevice CreateDevice(int address)
    {
        ValidateAddress(address);
        return new SimulatedI2cDevice(this, new I2cConnectionSettings(BusId, address));
    }

    /// <summary>Addresses that answer, ascending (what <c>i2cdetect</c> would show).</summary>
    public override IReadOnlyList<int> Scan()
    {
        lock (_gate) return [.. _models.Keys.Order()];
    }

    internal void Transfer(I2cConnectionSettings settings, ReadOnlySpan<byte> write, Span<byte> read)
    {
        lock (_gate)
        {
            if (!_models.TryGetValue(settings.DeviceAddress, out var model))
            {
                throw new IOException(
                    $"{settings}: no device acknowledged (NACK); check the wiring, the power and the address (i2cdetect -y {BusId}).");
            }
            if (!write.IsEmpty) model.Write(write);
            if (!read.IsEmpty) model.Read(read);
        }
    }

    private sealed class SimulatedI2cDevice(SimulatedI2cBus bus, I2cConnectionSettings settings) : I2cDevice
    {
        private bool _disposed;

        public override I2cConnectionSettings Settings => settings;

        public override void Read(Span<byte> buffer)
        {
            ThrowIfDisposed();
            bus.Transfer(settings, [], buffer);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ThrowIfDisposed();
            bus.Transfer(settings, buffer, []);
        }

        public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            ThrowIfDisposed();
            bus.Transfer(settings, writeBuffer, readBuffer);
        }

        protected override void Dispose(bool disposing) => _disposed = true;

        private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
    }
}
