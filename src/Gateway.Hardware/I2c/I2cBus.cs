namespace Gateway.Hardware.I2c;

/// <summary>
/// One I2C bus (the N of <c>/dev/i2c-N</c>): hands out devices by address and probes which addresses answer. The
/// kernel implementation (<see cref="UnixI2cBus"/>) and the simulation both derive from it, so composition and
/// <c>gatewayctl diag</c> treat them alike.
/// </summary>
public abstract class I2cBus
{
    /// <summary>The bus number.</summary>
    public abstract int BusId { get; }

    /// <summary>A device handle for a 7-bit address (0x03..0x77). Caller disposes.</summary>
    public abstract I2cDevice CreateDevice(int address);

    /// <summary>Addresses that acknowledge, ascending (what <c>i2cdetect -y N</c> shows).</summary>
    public abstract IReadOnlyList<int> Scan();

    /// <summary>7-bit addressing; 0x00-0x02 and 0x78-0x7F are reserved (I2C-bus specification UM10204 §3.1.12).</summary>
    public static void ValidateAddress(int address)
    {
        if (address is < 0x03 or > 0x77)
            throw new ArgumentOutOfRangeException(nameof(address), address, "A 7-bit I2C device address is 0x03..0x77.");
    }
}
