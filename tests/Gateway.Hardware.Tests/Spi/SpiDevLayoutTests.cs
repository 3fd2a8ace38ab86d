using System.Runtime.CompilerServices;
using Gateway.Hardware.Interop;
using Gateway.Hardware.Spi;

namespace Gateway.Hardware.Tests.Spi;

/// <summary>spidev struct and requests against include/uapi/linux/spi/spidev.h (gcc sizeof/offsetof and _IOC values).</summary>
public sealed unsafe class SpiDevLayoutTests
{
    [Fact]
    public void SpiIocTransfer_SizeAndOffsets_MatchKernelHeader()
    {
        Assert.Equal(32, Unsafe.SizeOf<SpiDev.spi_ioc_transfer>());
        var t = default(SpiDev.spi_ioc_transfer);
        var b = (byte*)&t;
        Assert.Equal(8, (byte*)&t.rx_buf - b);
        Assert.Equal(16, (byte*)&t.len - b);
        Assert.Equal(20, (byte*)&t.speed_hz - b);
        Assert.Equal(24, (byte*)&t.delay_usecs - b);
        Assert.Equal(26, (byte*)&t.bits_per_word - b);
        Assert.Equal(27, (byte*)&t.cs_change - b);
        Assert.Equal(30, (byte*)&t.word_delay_usecs - b);
        Assert.Equal(31, (byte*)&t.pad - b);
    }

    [Fact]
    public void RequestNumbers_MatchKernelHeader()
    {
        Assert.Equal((nuint)0x40206B00, SpiDev.SPI_IOC_MESSAGE(1));
        Assert.Equal((nuint)0x40406B00, SpiDev.SPI_IOC_MESSAGE(2));
        Assert.Equal((nuint)0x40016B01, SpiDev.SPI_IOC_WR_MODE);
        Assert.Equal((nuint)0x80016B01, SpiDev.SPI_IOC_RD_MODE);
        Assert.Equal((nuint)0x40016B03, SpiDev.SPI_IOC_WR_BITS_PER_WORD);
        Assert.Equal((nuint)0x40046B04, SpiDev.SPI_IOC_WR_MAX_SPEED_HZ);
    }

    [Fact]
    public void Open_MissingDevice_NamesTheSpiOverlay()
    {
        var ex = Assert.Throws<IOException>(() => new UnixSpiDevice(new SpiConnectionSettings(0, 0), "/dev/spidev-test-missing"));
        Assert.Contains("/dev/spidev-test-missing0.0: open failed with ENOENT", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dtparam=spi=on", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotSpidev_SaysTheDeviceRefusedTheMode()
    {
        // /dev/null opens but refuses SPI_IOC_WR_MODE with ENOTTY.
        var ex = Assert.Throws<IOException>(() => new UnixSpiDevice("/dev/null", new SpiConnectionSettings(0, 0)));
        Assert.Contains("ioctl(SPI_IOC_WR_MODE)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ENOTTY", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    public void Open_BadMode_IsRejectedBeforeOpening(int mode) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnixSpiDevice(new SpiConnectionSettings(0, 0, 1_000_000, mode), "/dev/null"));
}
