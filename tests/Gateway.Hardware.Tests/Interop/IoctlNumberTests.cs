using System.Runtime.CompilerServices;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Tests.Interop;

/// <summary>Request numbers checked against values the kernel headers produce (computed from the _IOC macros).</summary>
public sealed class IoctlNumberTests
{
    [Fact]
    public void IoR_SpiReadMode_MatchesSpidevHeader() =>
        // include/uapi/linux/spi/spidev.h: SPI_IOC_RD_MODE = _IOR('k', 1, __u8)
        Assert.Equal((nuint)0x80016B01, IoctlNumber.IoR('k', 1, 1));

    [Fact]
    public void IoW_SpiMessageOfOneTransfer_MatchesSpidevHeader() =>
        // SPI_IOC_MESSAGE(1) = _IOW('k', 0, char[32]): struct spi_ioc_transfer is 32 bytes
        Assert.Equal((nuint)0x40206B00, IoctlNumber.IoW('k', 0, 32));

    [Fact]
    public void IoWR_GpioV2GetLine_MatchesGpioHeader() =>
        // include/uapi/linux/gpio.h: GPIO_V2_GET_LINE_IOCTL = _IOWR(0xB4, 0x07, struct gpio_v2_line_request) (592 bytes)
        Assert.Equal((nuint)0xC250B407, IoctlNumber.IoWR((char)0xB4, 0x07, 592));

    [Fact]
    public void Io_NoArgument_HasOnlyTypeAndNumber() => Assert.Equal((nuint)0x0000B401, IoctlNumber.Io((char)0xB4, 1));

    [Fact]
    public void Encode_SizeBeyond14Bits_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IoctlNumber.IoR('x', 1, 1 << 14));

    [Fact]
    public void PollFd_IsEightBytes() => Assert.Equal(8, Unsafe.SizeOf<Libc.pollfd>());
}
