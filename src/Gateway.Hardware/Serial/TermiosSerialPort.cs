using System.Runtime.InteropServices;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;
using Gateway.Core.Counters;

namespace Gateway.Hardware.Serial;

/// <summary>
/// A real serial port through termios (termios(3), tty_ioctl(4)): raw mode, 8N1, no flow control, the profile's baud
/// rate. Bytes already queued are read at once, without a thread switch; otherwise the read waits in one poll(2) on the
/// port and on an eventfd that cancellation and disposal signal, so it wakes on data, cancellation, disposal or the
/// read timeout, whichever comes first, never on a polling slice.
/// </summary>
/// <remarks>
/// <para>Unplugging: a USB adapter that disappears makes poll report POLLHUP/POLLERR or read fail with EIO/ENODEV. The
/// read then throws an <see cref="IOException"/> saying so (the agent logs it and restarts the source after a backoff),
/// and the next read opens the path again: when the receiver is back (same udev name, e.g. a /dev/serial/by-id link)
/// reading resumes by itself. <see cref="Reopens"/> counts the successful reopens.</para>
/// <para>Thread-safety: one reader and one writer at a time.</para>
/// </remarks>
public sealed partial class TermiosSerialPort : SerialDevice
{
    /// <summary>What to tell the engineer (STYLE.md habit 9): the dialout group, the UART overlay.</summary>
    internal static readonly DeviceErrorHints Hints = new("dialout",
        "enable the UART (firmware-config/gps/README.md: enable_uart=1, dtoverlay=disable-bt) or plug the USB receiver in; check the path in the profile");

    private readonly SerialPortSettings _settings;
    private readonly uint _baudCode;
    private readonly WakeHandle _readWake = new();
    private readonly WakeHandle _writeWake = new();
    private DeviceHandle? _handle;
    private readonly AtomicCounter _reopens = new();
    private volatile bool _disposed;

    private TermiosSerialPort(SerialPortSettings settings, uint baudCode)
    {
        _settings = settings;
        _baudCode = baudCode;
    }

    /// <inheritdoc/>
    public override string Path => _settings.Path;

    /// <summary>How many times the port was opened again after it was lost.</summary>
    public long Reopens => _reopens.Value;

    /// <summary>True while the port is open.</summary>
    public bool IsOpen => _handle is { IsClosed: false };

    /// <summary>
    /// Opens and configures the port, or throws an <see cref="IOException"/> that names the device and what to check
    /// (permission: the dialout group; missing: the UART overlay or the USB adapter; not a tty: the wrong path).
    /// </summary>
    public static TermiosSerialPort Open(SerialPortSettings settings)
    {
        var port = Create(settings);
        try
        {
            port._handle = port.OpenHandle();
            return port;
        }
        catch
        {
            port.DisposeWakes();
            throw;
        }
    }

    /// <summary>A port that opens on its first read or write (errors then surface to the reader, which retries).</summary>
    public static TermiosSerialPort Create(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!Libc.TryBaudCode(settings.BaudRate, out var code))
            throw new ArgumentException($"{settings.Path}: {settings.BaudRate} baud is not a standard rate ({string.Join(", ", SerialPortSettings.StandardBaudRates)})", nameof(settings));
        return new TermiosSerialPort(settings, code);
    }

    /// <summary>
    /// Reads what is queued, or waits for bytes (a GPS sends a burst per second, so most reads after the first of a
    /// burst complete synchronously). Throws an <see cref="IOException"/> after <see cref="SerialPortSettings.ReadTimeout"/>
    /// of silence or when the port is lost; returns 0 when the port is disposed during the wait.
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty) return ValueTask.FromResult(0);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var handle = _handle;
        if (handle is null || handle.IsClosed)
        {
            var wasOpen = handle is not null;
            _handle = handle = OpenHandle();
            if (wasOpen) _reopens.Increment();
        }
        var n = TryReadNow(handle, buffer.Span);
        return n > 0 ? ValueTask.FromResult(n) : new ValueTask<int>(WaitAndReadAsync(handle, buffer, cancellationToken));
    }

    /// <summary>Writes all of <paramref name="buffer"/>; waits (poll for POLLOUT, not a sleep) only while the transmit queue is full.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var handle = _handle;
        if (handle is null || handle.IsClosed) _handle = handle = OpenHandle();
        var written = WriteNow(handle, buffer.Span);
        return written == buffer.Length ? ValueTask.CompletedTask : new ValueTask(WaitAndWriteAsync(handle, buffer[written..], cancellationToken));
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore()
    {
        _disposed = true;
        _handle?.Dispose();
        DisposeWakes();
        return ValueTask.CompletedTask;
    }

    /// <summary>Wakes a waiting read or write (they then see <see cref="_disposed"/>) and closes the eventfds once they let go.</summary>
    private void DisposeWakes()
    {
        _readWake.Signal();
        _writeWake.Signal();
        _readWake.Dispose();
        _writeWake.Dispose();
    }

    private DeviceHandle OpenHandle()
    {
        // O_NOCTTY: a GPS on the console UART must never become our controlling terminal; O_NONBLOCK: poll decides.
        var handle = DeviceHandle.Open(_settings.Path, Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK, Hints);
        try
        {
            Configure(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private unsafe void Configure(DeviceHandle handle)
    {
        Libc.termios t;
        if (Libc.tcgetattr(handle.Fd, &t) != 0) throw Error("tcgetattr");
        Libc.cfmakeraw(&t);
        t.c_cflag &= ~(Libc.CSIZE | Libc.PARENB | Libc.CSTOPB | Libc.CRTSCTS | Libc.HUPCL);
        t.c_cflag |= Libc.CS8 | Libc.CLOCAL | Libc.CREAD;
        // VMIN = VTIME = 0: read returns what is there; waiting is poll's job (termios(3), "MIN == 0, TIME == 0").
        t.c_cc[Libc.VMIN] = 0;
        t.c_cc[Libc.VTIME] = 0;
        if (Libc.cfsetspeed(&t, _baudCode) != 0) throw Error("cfsetspeed");
        if (Libc.tcsetattr(handle.Fd, Libc.TCSANOW, &t) != 0) throw Error("tcsetattr");
        // Bytes that arrived before we configured the port were read at the wrong settings: drop them.
        if (Libc.tcflush(handle.Fd, Libc.TCIFLUSH) != 0) throw Error("tcflush");
    }

    private IOException Error(string operation) => DeviceErrors.Create(_settings.Path, operation, Marshal.GetLastPInvokeError(), Hints);
}
