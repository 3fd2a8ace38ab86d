namespace Gateway.Hardware.I2c;

/// <summary>
/// One device on an I2C bus, addressed by its 7-bit address. Drivers take this abstract bus and never open
/// <c>/dev/i2c-*</c> themselves (STYLE.md habit 2); the Unix implementation and the simulation both derive from it.
/// Errors are <see cref="IOException"/>s naming the bus, the address and what to check.
/// </summary>
public abstract class I2cDevice : IDisposable
{
    /// <summary>Bus number and address, for messages.</summary>
    public abstract I2cConnectionSettings Settings { get; }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes from the device.</summary>
    public abstract void Read(Span<byte> buffer);

    /// <summary>Writes <paramref name="buffer"/> to the device in one transaction.</summary>
    public abstract void Write(ReadOnlySpan<byte> buffer);

    /// <summary>Writes then reads with a repeated start, the usual register read (write register address, read data).</summary>
    public abstract void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer);

    /// <summary>Reads one register byte.</summary>
    public byte ReadRegister(byte register)
    {
        Span<byte> value = stackalloc byte[1];
        WriteRead([register], value);
        return value[0];
    }

    /// <summary>Writes one register byte.</summary>
    public void WriteRegister(byte register, byte value) => Write([register, value]);

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

/// <summary>Which bus (the N in <c>/dev/i2c-N</c>) and which 7-bit device address.</summary>
public readonly record struct I2cConnectionSettings(int BusId, int DeviceAddress)
{
    /// <summary><c>i2c-1 address 0x76</c>, as messages name the device.</summary>
    public override string ToString() => $"i2c-{BusId} address 0x{DeviceAddress:X2}";
}
