using System.Runtime.InteropServices;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Serial;

public sealed partial class TermiosSerialPort
{
    private unsafe int ReadBlocking(DeviceHandle handle, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var added = false;
        handle.DangerousAddRef(ref added); // the descriptor stays valid even if Dispose races with this read
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var fd = new Libc.pollfd { fd = handle.Fd, events = Libc.POLLIN };
                var ready = Libc.poll(&fd, 1, PollSliceMs);
                if (ready < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR) continue;
                    throw Lost(handle, "poll", errno);
                }
                if (ready == 0)
                {
                    waited += TimeSpan.FromMilliseconds(PollSliceMs);
                    if (waited >= _settings.ReadTimeout)
                    {
                        throw new IOException($"{_settings.Path}: no data for {_settings.ReadTimeout.TotalSeconds:0.#} s; check the baud rate " +
                            $"({_settings.BaudRate} in the profile), that the receiver's TX goes to the Pi's RX, and the receiver's power");
                    }
                    continue;
                }
                // Data first: a hang-up can arrive together with the last bytes.
                using var pin = buffer.Pin();
                var n = Libc.read(handle.Fd, (byte*)pin.Pointer, (nuint)buffer.Length);
                if (n > 0) return (int)n;
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno is Libc.EAGAIN or Libc.EINTR) continue;
                    throw Lost(handle, "read", errno);
                }
                if ((fd.revents & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0 || n == 0) throw Lost(handle, "poll", Libc.EIO);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private unsafe void WriteBlocking(DeviceHandle handle, ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        fixed (byte* start = data)
        {
            var offset = 0;
            while (offset < data.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = Libc.write(handle.Fd, start + offset, (nuint)(data.Length - offset));
                if (n >= 0)
                {
                    offset += (int)n;
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EAGAIN)
                {
                    // The transmit queue is full (a few hundred bytes at 9600 baud): wait a character time or two.
                    Thread.Sleep(2);
                    continue;
                }
                if (errno != Libc.EINTR) throw Lost(handle, "write", errno);
            }
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
