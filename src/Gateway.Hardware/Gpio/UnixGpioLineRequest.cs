using System.Runtime.InteropServices;
using System.Threading.Channels;
using Gateway.Core.Interop;
using Gateway.Hardware.Clock;
using Gateway.Hardware.Interop;
using Gateway.Core.Counters;

namespace Gateway.Hardware.Gpio;

/// <summary>
/// Lines requested through GPIO_V2_GET_LINE_IOCTL. Values go through GPIO_V2_LINE_GET/SET_VALUES_IOCTL on the request
/// fd; edge events are read(2) from it as struct gpio_v2_line_event by one background thread that polls with a short
/// timeout (so disposal is noticed) and queues them, bounded, for <see cref="ReadEdgeAsync"/>.
/// </summary>
internal sealed class UnixGpioLineRequest : GpioLineRequest
{
    /// <summary>Events queued for the reader beyond the kernel's own buffer; a reader this far behind has a bigger problem.</summary>
    private const int QueueCapacity = 256;

    private const int PollTimeoutMs = 200;

    private readonly GpioV2.LineRequestHandle _handle;
    private readonly IReadOnlyList<int> _offsets;
    private readonly Channel<GpioEdgeEvent>? _events;
    private readonly Thread? _reader;
    private volatile bool _disposed;
    private readonly AtomicCounter _overflowed = new();

    public UnixGpioLineRequest(GpioV2.LineRequestHandle handle, GpioRequestOptions options)
    {
        _handle = handle;
        _offsets = [.. options.Offsets];
        if (options.Edges == GpioEdge.None) return;
        _events = Channel.CreateBounded<GpioEdgeEvent>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => _overflowed.Increment());
        _reader = new Thread(ReadEvents) { IsBackground = true, Name = $"gpio-edges {handle.Description}" };
        _reader.Start();
    }

    public override IReadOnlyList<int> Offsets => _offsets;

    public override long OverflowedEvents => _overflowed.Value;

    public override unsafe bool GetValue(int offset)
    {
        var index = IndexOf(offset);
        var values = new GpioV2.gpio_v2_line_values { mask = 1UL << index };
        Ioctl(GpioV2.GPIO_V2_LINE_GET_VALUES_IOCTL, &values, "GPIO_V2_LINE_GET_VALUES_IOCTL");
        return (values.bits & (1UL << index)) != 0;
    }

    public override unsafe void SetValue(int offset, bool value)
    {
        var index = IndexOf(offset);
        var values = new GpioV2.gpio_v2_line_values { mask = 1UL << index, bits = value ? 1UL << index : 0 };
        Ioctl(GpioV2.GPIO_V2_LINE_SET_VALUES_IOCTL, &values, "GPIO_V2_LINE_SET_VALUES_IOCTL");
    }

    public override ValueTask<GpioEdgeEvent> ReadEdgeAsync(CancellationToken cancellationToken)
    {
        if (_events is null) throw new InvalidOperationException($"{_handle.Description} was requested without edge detection.");
        return _events.Reader.ReadAsync(cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (!disposing || _disposed) return;
        _disposed = true;
        _reader?.Join(PollTimeoutMs * 5);
        _events?.Writer.TryComplete();
        _handle.Dispose();
    }

    private unsafe void Ioctl(nuint request, GpioV2.gpio_v2_line_values* values, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            if (Libc.ioctl(_handle.Fd, request, values) < 0)
                throw DeviceErrors.Create(_handle.Description, $"ioctl({name})", Marshal.GetLastPInvokeError(), UnixGpioChip.Hints);
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    private unsafe void ReadEvents()
    {
        const int batch = 16;
        var buffer = stackalloc GpioV2.gpio_v2_line_event[batch];
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var poll = new Libc.pollfd { fd = _handle.Fd, events = Libc.POLLIN };
            while (!_disposed)
            {
                poll.revents = 0;
                var ready = Libc.poll(&poll, 1, PollTimeoutMs);
                if (ready < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR) continue;
                if (ready <= 0) continue;
                if ((poll.revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0) break;
                var n = Libc.read(_handle.Fd, (byte*)buffer, (nuint)(batch * GpioV2.LineEventSize));
                if (n < 0) continue; // EAGAIN/EINTR: poll again
                for (var i = 0; i < n / GpioV2.LineEventSize; i++) _events!.Writer.TryWrite(Convert(buffer[i]));
            }
        }
        finally
        {
            if (added) _handle.DangerousRelease();
            _events!.Writer.TryComplete();
        }
    }

    /// <summary>
    /// The kernel stamps edges with CLOCK_MONOTONIC nanoseconds (we never set GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
    /// .NET's Stopwatch (and so TimeProvider.System) reads the same clock on Linux, so the conversion is only a change
    /// of unit, made in <see cref="MonotonicClock"/>.
    /// </summary>
    private static GpioEdgeEvent Convert(in GpioV2.gpio_v2_line_event e)
    {
        var ticks = MonotonicClock.FromNanoseconds(e.timestamp_ns);
        var edge = e.id == GpioV2.GPIO_V2_LINE_EVENT_RISING_EDGE ? GpioEdge.Rising : GpioEdge.Falling;
        return new GpioEdgeEvent((int)e.offset, edge, ticks, e.line_seqno);
    }
}
