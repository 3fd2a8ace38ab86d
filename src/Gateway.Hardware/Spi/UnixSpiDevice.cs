using System.Globalization;
using System.Runtime.InteropServices;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Spi;

/// <summary>
/// An SPI device through the kernel's spidev driver (<c>/dev/spidevB.C</c>, Documentation/spi/spidev.rst): mode, word
/// size and clock are set once at open; each transfer is one SPI_IOC_MESSAGE(1), during which the controller holds
/// chip select.
/// </summary>
public sealed class UnixSpiDevice : SpiDevice
{
    internal static readonly DeviceErrorHints Hints = new("spi",
        "enable SPI with 'dtparam=spi=on' in /boot/firmware/config.txt (firmware-config/raspberrypi/config.txt) and reboot; 'ls /dev/spidev*' should then list spidev0.0");

    /// <summary>spidev's default buffer size (module parameter bufsiz): one transfer must fit.</summary>
    public const int MaxTransferBytes = 4096;

    private readonly DeviceHandle _handle;
    private readonly SpiConnectionSettings _settings;

    /// <summary>Opens <c>{devicePrefix}B.C</c> (default <c>/dev/spidevB.C</c>) and sets mode, word size and clock.</summary>
    public UnixSpiDevice(SpiConnectionSettings settings, string devicePrefix = "/dev/spidev")
        : this(string.Create(CultureInfo.InvariantCulture, $"{devicePrefix}{settings.BusId}.{settings.ChipSelect}"), settings)
    {
    }

    internal UnixSpiDevice(string path, SpiConnectionSettings settings)
    {
        if (settings.Mode is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(settings), settings.Mode, "SPI mode is 0..3.");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.ClockHz, 0);
        _settings = settings;
        _handle = DeviceHandle.Open(path, Libc.O_RDWR, Hints);
        try
        {
            Configure();
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public override SpiConnectionSettings Settings => _settings;

    /// <summary>The device file, e.g. <c>/dev/spidev0.0</c>.</summary>
    public string Path => _handle.Path;

    /// <inheritdoc/>
    public override unsafe void TransferFullDuplex(ReadOnlySpan<byte> write, Span<byte> read)
    {
        if (write.Length != read.Length) throw new ArgumentException("A full-duplex transfer writes and reads the same number of bytes.");
        if (write.Length > MaxTransferBytes) throw new ArgumentException($"spidev transfers at most {MaxTransferBytes} bytes at once.");
        if (write.IsEmpty) return;
        fixed (byte* w = write)
        fixed (byte* r = read)
        {
            var transfer = new SpiDev.spi_ioc_transfer
            {
                tx_buf = (ulong)w,
                rx_buf = (ulong)r,
                len = (uint)write.Length,
                speed_hz = (uint)_settings.ClockHz,
                bits_per_word = 8,
            };
            if (Libc.ioctl(_handle.Fd, SpiDev.SPI_IOC_MESSAGE(1), &transfer) < 0)
                throw DeviceErrors.Create(Path, "ioctl(SPI_IOC_MESSAGE)", Marshal.GetLastPInvokeError(), Hints);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle.Dispose();
    }

    private unsafe void Configure()
    {
        byte mode = (byte)_settings.Mode;
        byte bits = 8;
        uint speed = (uint)_settings.ClockHz;
        if (Libc.ioctl(_handle.Fd, SpiDev.SPI_IOC_WR_MODE, &mode) < 0)
            throw DeviceErrors.Create(Path, "ioctl(SPI_IOC_WR_MODE)", Marshal.GetLastPInvokeError(), Hints);
        if (Libc.ioctl(_handle.Fd, SpiDev.SPI_IOC_WR_BITS_PER_WORD, &bits) < 0)
            throw DeviceErrors.Create(Path, "ioctl(SPI_IOC_WR_BITS_PER_WORD)", Marshal.GetLastPInvokeError(), Hints);
        if (Libc.ioctl(_handle.Fd, SpiDev.SPI_IOC_WR_MAX_SPEED_HZ, &speed) < 0)
            throw DeviceErrors.Create(Path, "ioctl(SPI_IOC_WR_MAX_SPEED_HZ)", Marshal.GetLastPInvokeError(), Hints);
    }
}
