using Gateway.Hardware.Interop;

namespace Gateway.Hardware.I2c;

/// <summary>
/// An I2C bus through the kernel's i2c-dev interface (<c>/dev/i2c-N</c>, Documentation/i2c/dev-interface.rst). Each
/// device gets its own file descriptor, so two drivers on one bus never race on the I2C_SLAVE address.
/// </summary>
public sealed class UnixI2cBus : I2cBus
{
    /// <summary>What to tell the engineer when the bus cannot be opened.</summary>
    internal static readonly DeviceErrorHints Hints = new("i2c",
        "enable I2C with 'dtparam=i2c_arm=on' in /boot/firmware/config.txt (firmware-config/raspberrypi/config.txt) and reboot; 'ls /dev/i2c-*' should then list the bus");

    private readonly int _busId;

    /// <param name="busId">The N of <c>/dev/i2c-N</c> (1 on a Raspberry Pi's header pins 3 and 5).</param>
    /// <param name="devicePrefix">The device path before the number; only tests change it.</param>
    public UnixI2cBus(int busId, string devicePrefix = "/dev/i2c-")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(busId);
        _busId = busId;
        Path = devicePrefix + busId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The device file, e.g. <c>/dev/i2c-1</c>.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override int BusId => _busId;

    /// <summary>Opens the bus for one device; throws an <see cref="IOException"/> naming the path and the fix.</summary>
    public override I2cDevice CreateDevice(int address)
    {
        ValidateAddress(address);
        return new UnixI2cDevice(Path, new I2cConnectionSettings(_busId, address));
    }

    /// <summary>
    /// Probes every address with a one-byte read, as <c>i2cdetect -r</c> does. A read is safe for the sensors on
    /// our boards; a quick-write probe (i2cdetect's default for most addresses) can corrupt some EEPROMs' write
    /// protection, so it is not used.
    /// </summary>
    public override IReadOnlyList<int> Scan()
    {
        var found = new List<int>();
        Span<byte> one = stackalloc byte[1];
        for (var address = 0x03; address <= 0x77; address++)
        {
            using var device = (UnixI2cDevice)CreateDevice(address);
            if (device.TryProbe(one)) found.Add(address);
        }
        return found;
    }
}
