using System.Runtime.InteropServices;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Serial;

public sealed partial class TermiosSerialPort
{
    /// <summary>
    /// The slow path of a read: nothing was queued. The wait is one blocking poll(2) on a pool thread (a port delivers
    /// a burst per second, so at most one thread per port waits, and only between bursts); cancellation signals the
    /// read eventfd, which ends the poll at once.
    /// </summary>
    private async Task<int> WaitAndReadAsync(DeviceHandle handle, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.UnsafeRegister(static s => ((WakeHandle)s!).Signal(), _readWake);
        return await Task.Run(() => ReadBlocking(handle, buffer.Span, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitAndWriteAsync(DeviceHandle handle, ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.UnsafeRegister(static s => ((WakeHandle)s!).Signal(), _writeWake);
        await Task.Run(() => WriteBlocking(handle, rest, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads what is queued without waiting: the byte count, or 0 when nothing is.</summary>
    private int TryReadNow(DeviceHandle handle, Span<byte> buffer)
    {
        var added = false;
        handle.DangerousAddRef(ref added); // the descriptor stays valid even if Dispose races with this read
        try
        {
            return PollAndRead(handle, buffer, timeoutMs: 0, wake: null);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private int ReadBlocking(DeviceHandle handle, Span<byte> buffer, CancellationToken cancellationToken)
    {
        var deadline = Environment.TickCount64 + (long)_settings.ReadTimeout.TotalMilliseconds; // monotonic
        bool handleAdded = false, wakeAdded = false;
        try
        {
            try
            {
                handle.DangerousAddRef(ref handleAdded);
                _readWake.DangerousAddRef(ref wakeAdded);
            }
            catch (ObjectDisposedException) when (_disposed)
            {
                return 0; // disposed before this thread got to wait
            }
            while (true)
            {
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    throw new IOException($"{_settings.Path}: no data for {_settings.ReadTimeout.TotalSeconds:0.#} s; check the baud rate " +
                        $"({_settings.BaudRate} in the profile), that the receiver's TX goes to the Pi's RX, and the receiver's power");
                }
                var n = PollAndRead(handle, buffer, (int)Math.Min(remaining, int.MaxValue), _readWake);
                if (n > 0) return n;
                cancellationToken.ThrowIfCancellationRequested();
                if (_disposed) return 0; // SerialDevice's contract: 0 is a device that is gone
            }
        }
        finally
        {
            if (wakeAdded) _readWake.DangerousRelease();
            if (handleAdded) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// One poll(2) of the port (and of <paramref name="wake"/>, when given), then a read if the port is readable.
    /// Returns the bytes read, or 0 when there were none (timeout, a wake, EINTR); throws when the port is lost.
    /// </summary>
    private unsafe int PollAndRead(DeviceHandle handle, Span<byte> buffer, int timeoutMs, WakeHandle? wake)
    {
        var fds = stackalloc Libc.pollfd[2];
        fds[0] = new Libc.pollfd { fd = handle.Fd, events = Libc.POLLIN };
        fds[1] = new Libc.pollfd { fd = wake?.Fd ?? -1, events = Libc.POLLIN }; // poll(2) skips a negative fd
        var ready = Libc.poll(fds, 2, timeoutMs);
        if (ready < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.EINTR) return 0;
            throw Lost(handle, "poll", errno);
        }
        if ((fds[1].revents & Libc.POLLIN) != 0) wake!.Drain();
        if (fds[0].revents == 0) return 0;
        // Data first: a hang-up can arrive together with the last bytes.
        nint n;
        fixed (byte* start = buffer) n = Libc.read(handle.Fd, start, (nuint)buffer.Length);
        if (n > 0) return (int)n;
        if (n < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Libc.EAGAIN or Libc.EINTR) return 0;
            throw Lost(handle, "read", errno);
        }
        // Readable or hung up, yet nothing to read: with VMIN = VTIME = 0 that is a port whose other side is gone.
        throw Lost(handle, "poll", Libc.EIO);
    }

    /// <summary>Writes until done or until the transmit queue is full (EAGAIN); returns the bytes written.</summary>
    private unsafe int WriteNow(DeviceHandle handle, ReadOnlySpan<byte> data)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var offset = 0;
            fixed (byte* start = data)
            {
                while (offset < data.Length)
                {
                    var n = Libc.write(handle.Fd, start + offset, (nuint)(data.Length - offset));
                    if (n >= 0)
                    {
                        offset += (int)n;
                        continue;
                    }
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EAGAIN) break;
                    if (errno != Libc.EINTR) throw Lost(handle, "write", errno);
                }
            }
            return offset;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>The transmit queue was full (a few hundred bytes at 9600 baud): wait for POLLOUT, write the rest.</summary>
    private unsafe void WriteBlocking(DeviceHandle handle, ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        bool handleAdded = false, wakeAdded = false;
        try
        {
            handle.DangerousAddRef(ref handleAdded);
            _writeWake.DangerousAddRef(ref wakeAdded);
            var fds = stackalloc Libc.pollfd[2];
            while (!rest.IsEmpty)
            {
                fds[0] = new Libc.pollfd { fd = handle.Fd, events = Libc.POLLOUT };
                fds[1] = new Libc.pollfd { fd = _writeWake.Fd, events = Libc.POLLIN };
                if (Libc.poll(fds, 2, -1) < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != Libc.EINTR) throw Lost(handle, "poll", errno);
                }
                if ((fds[1].revents & Libc.POLLIN) != 0) _writeWake.Drain();
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(_disposed, this);
                if ((fds[0].revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0) throw Lost(handle, "poll", Libc.EIO);
                rest = rest[WriteNow(handle, rest.Span)..];
            }
        }
        finally
        {
            if (wakeAdded) _writeWake.DangerousRelease();
            if (handleAdded) handle.DangerousRelease();
        }
    }

    /// <summary>The port is gone (unplugged, hung up): close it so that the next read opens it again.</summary>
    private IOException Lost(DeviceHandle handle, string operation, int errno)
    {
        handle.Dispose();
        var error = DeviceErrors.Create(_settings.Path, operation, errno, Hints);
        return new IOException($"{error.Message}; the port was closed and is opened again on the next read (unplugged USB receiver?)", error);
    }
}
