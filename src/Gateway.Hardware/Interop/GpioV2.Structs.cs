using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gateway.Hardware.Interop;

#pragma warning disable CS8981, IDE1006, CA1815 // kernel names kept verbatim (STYLE.md habit 4); plain interop data
internal static partial class GpioV2
{
    /// <summary>struct gpiochip_info: name ("gpiochip0"), label ("pinctrl-bcm2711"), number of lines.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct gpiochip_info
    {
        public fixed byte name[GPIO_MAX_NAME_SIZE];
        public fixed byte label[GPIO_MAX_NAME_SIZE];
        public uint lines;
    }

    /// <summary>
    /// struct gpio_v2_line_attribute: id, padding, then a union of flags (u64), values (u64) and debounce_period_us
    /// (u32); the union is carried as its widest member.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct gpio_v2_line_attribute
    {
        public uint id;
        public uint padding;
        /// <summary>flags, values or debounce_period_us, by <see cref="id"/>.</summary>
        public ulong value;
    }

    /// <summary>struct gpio_v2_line_config_attribute: an attribute and the bitmap of request lines it applies to.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct gpio_v2_line_config_attribute
    {
        public gpio_v2_line_attribute attr;
        public ulong mask;
    }

    [InlineArray(GPIO_V2_LINE_NUM_ATTRS_MAX)]
    internal struct ConfigAttributes
    {
        private gpio_v2_line_config_attribute _element0;
    }

    /// <summary>struct gpio_v2_line_config: default flags for all lines, then up to 10 per-line attributes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct gpio_v2_line_config
    {
        public ulong flags;
        public uint num_attrs;
        public fixed uint padding[5];
        public ConfigAttributes attrs;
    }

    /// <summary>struct gpio_v2_line_request: the lines, the consumer label, the config; the kernel fills in fd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct gpio_v2_line_request
    {
        public fixed uint offsets[GPIO_V2_LINES_MAX];
        public fixed byte consumer[GPIO_MAX_NAME_SIZE];
        public gpio_v2_line_config config;
        public uint num_lines;
        public uint event_buffer_size;
        public fixed uint padding[5];
        public int fd;
    }

    /// <summary>struct gpio_v2_line_values: bit i is the line at request index i, for the lines set in mask.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct gpio_v2_line_values
    {
        public ulong bits;
        public ulong mask;
    }

    /// <summary>
    /// struct gpio_v2_line_event, read(2) from the request fd: timestamp_ns is CLOCK_MONOTONIC unless the line asked
    /// for the realtime or HTE clock (we never do), id is rising/falling, offset the chip line.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct gpio_v2_line_event
    {
        public ulong timestamp_ns;
        public uint id;
        public uint offset;
        public uint seqno;
        public uint line_seqno;
        public fixed uint padding[6];
    }
}
#pragma warning restore CS8981, IDE1006, CA1815
