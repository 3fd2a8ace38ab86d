namespace Gateway.Hardware.Interop;

/// <summary>
/// The GPIO character device v2 uAPI (include/uapi/linux/gpio.h, Linux 5.10+), names kept verbatim. Requests are _IOC
/// encodings of type 0xB4 built with <see cref="IoctlNumber"/>; the structs are in GpioV2.Structs.cs.
/// </summary>
internal static partial class GpioV2
{
    private const char GPIO_IOC_MAGIC = (char)0xB4;

    /// <summary>GPIO_MAX_NAME_SIZE: chip, line and consumer names are NUL-padded char[32].</summary>
    internal const int GPIO_MAX_NAME_SIZE = 32;

    /// <summary>GPIO_V2_LINES_MAX: lines in one request.</summary>
    internal const int GPIO_V2_LINES_MAX = 64;

    /// <summary>GPIO_V2_LINE_NUM_ATTRS_MAX: attributes in one line config.</summary>
    internal const int GPIO_V2_LINE_NUM_ATTRS_MAX = 10;

    // enum gpio_v2_line_flag
    internal const ulong GPIO_V2_LINE_FLAG_USED = 1UL << 0;
    internal const ulong GPIO_V2_LINE_FLAG_ACTIVE_LOW = 1UL << 1;
    internal const ulong GPIO_V2_LINE_FLAG_INPUT = 1UL << 2;
    internal const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1UL << 3;
    internal const ulong GPIO_V2_LINE_FLAG_EDGE_RISING = 1UL << 4;
    internal const ulong GPIO_V2_LINE_FLAG_EDGE_FALLING = 1UL << 5;
    internal const ulong GPIO_V2_LINE_FLAG_OPEN_DRAIN = 1UL << 6;
    internal const ulong GPIO_V2_LINE_FLAG_OPEN_SOURCE = 1UL << 7;
    internal const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_UP = 1UL << 8;
    internal const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN = 1UL << 9;
    internal const ulong GPIO_V2_LINE_FLAG_BIAS_DISABLED = 1UL << 10;

    // enum gpio_v2_line_attr_id
    internal const uint GPIO_V2_LINE_ATTR_ID_FLAGS = 1;
    internal const uint GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES = 2;
    internal const uint GPIO_V2_LINE_ATTR_ID_DEBOUNCE = 3;

    // enum gpio_v2_line_event_id
    internal const uint GPIO_V2_LINE_EVENT_RISING_EDGE = 1;
    internal const uint GPIO_V2_LINE_EVENT_FALLING_EDGE = 2;

    /// <summary>GPIO_GET_CHIPINFO_IOCTL: _IOR(0xB4, 0x01, struct gpiochip_info).</summary>
    internal static readonly nuint GPIO_GET_CHIPINFO_IOCTL = IoctlNumber.IoR(GPIO_IOC_MAGIC, 0x01, GpiochipInfoSize);

    /// <summary>GPIO_V2_GET_LINE_IOCTL: _IOWR(0xB4, 0x07, struct gpio_v2_line_request); returns the request's fd in it.</summary>
    internal static readonly nuint GPIO_V2_GET_LINE_IOCTL = IoctlNumber.IoWR(GPIO_IOC_MAGIC, 0x07, LineRequestSize);

    /// <summary>GPIO_V2_LINE_GET_VALUES_IOCTL: _IOWR(0xB4, 0x0E, struct gpio_v2_line_values), on the request fd.</summary>
    internal static readonly nuint GPIO_V2_LINE_GET_VALUES_IOCTL = IoctlNumber.IoWR(GPIO_IOC_MAGIC, 0x0E, LineValuesSize);

    /// <summary>GPIO_V2_LINE_SET_VALUES_IOCTL: _IOWR(0xB4, 0x0F, struct gpio_v2_line_values), on the request fd.</summary>
    internal static readonly nuint GPIO_V2_LINE_SET_VALUES_IOCTL = IoctlNumber.IoWR(GPIO_IOC_MAGIC, 0x0F, LineValuesSize);

    /// <summary>Struct sizes from the header (all members are fixed-width, so they hold on every ABI).</summary>
    internal const int GpiochipInfoSize = 68, LineAttributeSize = 16, LineConfigAttributeSize = 24, LineConfigSize = 272;
    internal const int LineRequestSize = 592, LineValuesSize = 16, LineEventSize = 48;
}
