using System.Runtime.CompilerServices;
using Gateway.Hardware.Gpio;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Tests.Gpio;

/// <summary>
/// struct sizes, offsets and request numbers checked against include/uapi/linux/gpio.h: the expected values are what
/// gcc prints for sizeof/offsetof and the _IOC macros with the kernel headers (linux-libc-dev 6.x, x86_64; the v2 structs
/// use only fixed-width members, so arm64 and armhf agree).
/// </summary>
public sealed unsafe class GpioV2LayoutTests
{
    [Theory]
    [InlineData("gpiochip_info", 68)]
    [InlineData("gpio_v2_line_attribute", 16)]
    [InlineData("gpio_v2_line_config_attribute", 24)]
    [InlineData("gpio_v2_line_config", 272)]
    [InlineData("gpio_v2_line_request", 592)]
    [InlineData("gpio_v2_line_values", 16)]
    [InlineData("gpio_v2_line_event", 48)]
    public void StructSize_MatchesKernelHeader(string name, int expected)
    {
        var size = name switch
        {
            "gpiochip_info" => Unsafe.SizeOf<GpioV2.gpiochip_info>(),
            "gpio_v2_line_attribute" => Unsafe.SizeOf<GpioV2.gpio_v2_line_attribute>(),
            "gpio_v2_line_config_attribute" => Unsafe.SizeOf<GpioV2.gpio_v2_line_config_attribute>(),
            "gpio_v2_line_config" => Unsafe.SizeOf<GpioV2.gpio_v2_line_config>(),
            "gpio_v2_line_request" => Unsafe.SizeOf<GpioV2.gpio_v2_line_request>(),
            "gpio_v2_line_values" => Unsafe.SizeOf<GpioV2.gpio_v2_line_values>(),
            _ => Unsafe.SizeOf<GpioV2.gpio_v2_line_event>(),
        };
        Assert.Equal(expected, size);
    }

    [Fact]
    public void LineRequest_FieldOffsets_MatchKernelHeader()
    {
        var r = default(GpioV2.gpio_v2_line_request);
        var b = (byte*)&r;
        Assert.Equal(256, (byte*)r.consumer - b);
        Assert.Equal(288, (byte*)&r.config - b);
        Assert.Equal(560, (byte*)&r.num_lines - b);
        Assert.Equal(564, (byte*)&r.event_buffer_size - b);
        Assert.Equal(588, (byte*)&r.fd - b);
        Assert.Equal(32, (byte*)&r.config.attrs - (byte*)&r.config);
        Assert.Equal(8, (byte*)&r.config.num_attrs - (byte*)&r.config);
    }

    [Fact]
    public void LineEvent_FieldOffsets_MatchKernelHeader()
    {
        var e = default(GpioV2.gpio_v2_line_event);
        var b = (byte*)&e;
        Assert.Equal(8, (byte*)&e.id - b);
        Assert.Equal(12, (byte*)&e.offset - b);
        Assert.Equal(16, (byte*)&e.seqno - b);
        Assert.Equal(20, (byte*)&e.line_seqno - b);
    }

    [Fact]
    public void SizeConstants_AgreeWithTheStructs()
    {
        Assert.Equal(GpioV2.LineRequestSize, Unsafe.SizeOf<GpioV2.gpio_v2_line_request>());
        Assert.Equal(GpioV2.LineEventSize, Unsafe.SizeOf<GpioV2.gpio_v2_line_event>());
        Assert.Equal(GpioV2.GpiochipInfoSize, Unsafe.SizeOf<GpioV2.gpiochip_info>());
        Assert.Equal(GpioV2.LineValuesSize, Unsafe.SizeOf<GpioV2.gpio_v2_line_values>());
    }

    [Theory]
    [InlineData("GPIO_GET_CHIPINFO_IOCTL", 0x8044B401u)]
    [InlineData("GPIO_V2_GET_LINE_IOCTL", 0xC250B407u)]
    [InlineData("GPIO_V2_LINE_GET_VALUES_IOCTL", 0xC010B40Eu)]
    [InlineData("GPIO_V2_LINE_SET_VALUES_IOCTL", 0xC010B40Fu)]
    public void RequestNumber_MatchesKernelHeader(string name, uint expected)
    {
        var value = name switch
        {
            "GPIO_GET_CHIPINFO_IOCTL" => GpioV2.GPIO_GET_CHIPINFO_IOCTL,
            "GPIO_V2_GET_LINE_IOCTL" => GpioV2.GPIO_V2_GET_LINE_IOCTL,
            "GPIO_V2_LINE_GET_VALUES_IOCTL" => GpioV2.GPIO_V2_LINE_GET_VALUES_IOCTL,
            _ => GpioV2.GPIO_V2_LINE_SET_VALUES_IOCTL,
        };
        Assert.Equal((nuint)expected, value);
    }

    [Theory]
    [InlineData(GpioDirection.Input, GpioBias.PullUp, GpioEdge.Both, true, (1UL << 2) | (1UL << 8) | (1UL << 4) | (1UL << 5) | (1UL << 1))]
    [InlineData(GpioDirection.Input, GpioBias.PullDown, GpioEdge.Rising, false, (1UL << 2) | (1UL << 9) | (1UL << 4))]
    [InlineData(GpioDirection.Input, GpioBias.Disabled, GpioEdge.Falling, false, (1UL << 2) | (1UL << 10) | (1UL << 5))]
    [InlineData(GpioDirection.Output, GpioBias.AsIs, GpioEdge.None, false, 1UL << 3)]
    public void Flags_MapEachOptionToItsKernelBit(GpioDirection direction, GpioBias bias, GpioEdge edges, bool activeLow, ulong expected)
    {
        var options = new GpioRequestOptions([4], direction, "test") { Bias = bias, Edges = edges, ActiveLow = activeLow };
        Assert.Equal(expected, UnixGpioChip.Flags(options));
    }

    [Fact]
    public void Open_MissingChip_NamesTheGroupHintAndPath()
    {
        var ex = Assert.Throws<IOException>(() => new UnixGpioChip("/dev/gpiochip-does-not-exist"));
        Assert.Contains("/dev/gpiochip-does-not-exist: open failed with ENOENT", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ls /dev/gpiochip*", ex.Message, StringComparison.Ordinal);
    }
}
