using System.Runtime.InteropServices;
using System.Text;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Gpio;

/// <summary>
/// A GPIO chip through the character device v2 uAPI (<c>/dev/gpiochipN</c>, include/uapi/linux/gpio.h): line requests
/// with bias, edge detection, kernel debounce and active-low done by the kernel, edge events with kernel timestamps.
/// </summary>
public sealed class UnixGpioChip : GpioChip
{
    internal static readonly DeviceErrorHints Hints = new("gpio",
        "GPIO character devices exist on Linux 5.10+ (Raspberry Pi OS bookworm has them); 'ls /dev/gpiochip*' lists them; check the chip number in the profile");

    private readonly DeviceHandle _chip;
    private readonly string _name;
    private readonly int _lines;

    /// <summary>Opens the chip (<c>/dev/gpiochip0</c>) and reads its name and line count (GPIO_GET_CHIPINFO_IOCTL);
    /// throws an <see cref="IOException"/> naming the path and what to do.</summary>
    public UnixGpioChip(string path)
    {
        _chip = DeviceHandle.Open(path, Libc.O_RDWR, Hints);
        try
        {
            (_name, _lines) = ReadInfo();
        }
        catch
        {
            _chip.Dispose();
            throw;
        }
    }

    /// <summary>The chip's device path, e.g. <c>/dev/gpiochip0</c>.</summary>
    public string Path => _chip.Path;

    /// <inheritdoc/>
    public override string Name => _name;

    /// <inheritdoc/>
    public override int LineCount => _lines;

    /// <summary>The chip's label (e.g. <c>pinctrl-bcm2711</c>) as the kernel reports it.</summary>
    public string Label { get; private set; } = "";

    /// <inheritdoc/>
    public override unsafe GpioLineRequest RequestLines(GpioRequestOptions options)
    {
        Validate(options);
        var request = default(GpioV2.gpio_v2_line_request);
        for (var i = 0; i < options.Offsets.Count; i++) request.offsets[i] = (uint)options.Offsets[i];
        var consumer = Encoding.UTF8.GetBytes(options.Consumer);
        var consumerLength = Math.Min(consumer.Length, GpioV2.GPIO_MAX_NAME_SIZE - 1); // NUL-terminated
        for (var i = 0; i < consumerLength; i++) request.consumer[i] = consumer[i];
        request.num_lines = (uint)options.Offsets.Count;
        request.config.flags = Flags(options);
        var all = options.Offsets.Count == 64 ? ulong.MaxValue : (1UL << options.Offsets.Count) - 1;
        uint attributes = 0;
        if (options.Debounce > TimeSpan.Zero)
        {
            request.config.attrs[(int)attributes++] = new GpioV2.gpio_v2_line_config_attribute
            {
                attr = new GpioV2.gpio_v2_line_attribute { id = GpioV2.GPIO_V2_LINE_ATTR_ID_DEBOUNCE, value = (ulong)(options.Debounce.Ticks / 10) },
                mask = all,
            };
        }
        if (options.Direction == GpioDirection.Output && options.InitialValues is { } initial)
        {
            ulong bits = 0;
            for (var i = 0; i < initial.Count && i < options.Offsets.Count; i++) if (initial[i]) bits |= 1UL << i;
            request.config.attrs[(int)attributes++] = new GpioV2.gpio_v2_line_config_attribute
            {
                attr = new GpioV2.gpio_v2_line_attribute { id = GpioV2.GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, value = bits },
                mask = all,
            };
        }
        request.config.num_attrs = attributes;
        var description = $"{Path} line{(options.Offsets.Count > 1 ? "s" : "")} {string.Join(", ", options.Offsets)}";
        if (Libc.ioctl(_chip.Fd, GpioV2.GPIO_V2_GET_LINE_IOCTL, &request) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw DeviceErrors.Create(description, "ioctl(GPIO_V2_GET_LINE_IOCTL)", errno, Hints);
        }
        return new UnixGpioLineRequest(new GpioV2.LineRequestHandle(request.fd, description), options);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _chip.Dispose();
    }

    /// <summary>The request's default flags, applied to every line (one set of settings per request).</summary>
    internal static ulong Flags(GpioRequestOptions options)
    {
        ulong flags = options.Direction == GpioDirection.Input ? GpioV2.GPIO_V2_LINE_FLAG_INPUT : GpioV2.GPIO_V2_LINE_FLAG_OUTPUT;
        if (options.ActiveLow) flags |= GpioV2.GPIO_V2_LINE_FLAG_ACTIVE_LOW;
        if (options.Edges.HasFlag(GpioEdge.Rising)) flags |= GpioV2.GPIO_V2_LINE_FLAG_EDGE_RISING;
        if (options.Edges.HasFlag(GpioEdge.Falling)) flags |= GpioV2.GPIO_V2_LINE_FLAG_EDGE_FALLING;
        flags |= options.Bias switch
        {
            GpioBias.PullUp => GpioV2.GPIO_V2_LINE_FLAG_BIAS_PULL_UP,
            GpioBias.PullDown => GpioV2.GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN,
            GpioBias.Disabled => GpioV2.GPIO_V2_LINE_FLAG_BIAS_DISABLED,
            _ => 0UL,
        };
        return flags;
    }

    private unsafe (string Name, int Lines) ReadInfo()
    {
        var info = default(GpioV2.gpiochip_info);
        if (Libc.ioctl(_chip.Fd, GpioV2.GPIO_GET_CHIPINFO_IOCTL, &info) < 0)
            throw DeviceErrors.Create(_chip.Path, "ioctl(GPIO_GET_CHIPINFO_IOCTL)", Marshal.GetLastPInvokeError(), Hints);
        Label = CString(info.label);
        return (CString(info.name), (int)info.lines);
    }

    private static unsafe string CString(byte* chars)
    {
        var span = new ReadOnlySpan<byte>(chars, GpioV2.GPIO_MAX_NAME_SIZE);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}
