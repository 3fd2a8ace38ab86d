namespace Gateway.Hardware.Simulation.I2c;

/// <summary>
/// A register-pointer I2C device, the shape of most sensors: a write's first byte sets the register pointer and the
/// following bytes are written from there with auto-increment; a read returns bytes from the pointer with
/// auto-increment. Derived models override <see cref="ReadRegister"/> and <see cref="WriteRegister"/>, or
/// <see cref="OnWrite"/> when the device writes differently (the BME280 takes address/data pairs).
/// </summary>
/// <remarks>Calls arrive serialised by <see cref="SimulatedI2cBus"/>, one transfer at a time.</remarks>
public abstract class I2cRegisterModel
{
    /// <summary>The register the next read or write starts at.</summary>
    protected byte Pointer { get; set; }

    /// <summary>A write transaction: sets the pointer, then writes the following bytes with auto-increment.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return; // an address-only write (a probe) changes nothing
        OnWrite(data);
    }

    /// <summary>A read transaction: fills <paramref name="buffer"/> from the pointer with auto-increment.</summary>
    public void Read(Span<byte> buffer)
    {
        OnBeforeRead();
        for (var i = 0; i < buffer.Length; i++)
            buffer[i] = ReadRegister(Pointer++);
    }

    /// <summary>Handles a non-empty write; the default is pointer then auto-incremented data.</summary>
    protected virtual void OnWrite(ReadOnlySpan<byte> data)
    {
        Pointer = data[0];
        foreach (var value in data[1..])
            WriteRegister(Pointer++, value);
    }

    /// <summary>Called once before each read transaction (e.g. to latch time-dependent state).</summary>
    protected virtual void OnBeforeRead()
    {
    }

    /// <summary>The value of one register; unknown registers read as 0x00 by default.</summary>
    protected virtual byte ReadRegister(byte register) => 0x00;

    /// <summary>Writes one register; writes to read-only or unknown registers are ignored by default, as on silicon.</summary>
    protected virtual void WriteRegister(byte register, byte value)
    {
    }
}
