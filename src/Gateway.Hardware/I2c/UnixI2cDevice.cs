using System.Runtime.InteropServices;
using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.I2c;

/// <summary>
/// One device on <c>/dev/i2c-N</c>. Plain reads and writes use read(2)/write(2) after I2C_SLAVE; a register read
/// (write the register address, then read) is one I2C_RDWR with two messages, so the bus sees a repeated start and no
/// other master can slip in between (i2c-dev.h, Documentation/i2c/dev-interface.rst).
/// </summary>
internal sealed class UnixI2cDevice : I2cDevice
{
    private readonly DeviceHandle _handle;
    private readonly I2cConnectionSettings _settings;

    internal UnixI2cDevice(string path, I2cConnectionSettings settings)
    {
        _settings = settings;
        _handle = DeviceHandle.Open(path, Libc.O_RDWR, UnixI2cBus.Hints);
        if (Libc.ioctl(_handle.Fd, I2cDev.I2C_SLAVE, settings.DeviceAddress) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            _handle.Dispose();
            throw Error("ioctl(I2C_SLAVE)", errno);
        }
    }

    /// <inheritdoc/>
    public override I2cConnectionSettings Settings => _settings;

    /// <inheritdoc/>
    public override unsafe void Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = Libc.read(_handle.Fd, p, (nuint)buffer.Length);
            if (n < 0) throw Error("read", Marshal.GetLastPInvokeError());
            if (n != buffer.Length) throw new IOException($"{_settings}: short read of {n} of {buffer.Length} bytes; check wiring and power.");
        }
    }

    /// <inheritdoc/>
    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            var n = Libc.write(_handle.Fd, p, (nuint)buffer.Length);
            if (n < 0) throw Error("write", Marshal.GetLastPInvokeError());
            if (n != buffer.Length) throw new IOException($"{_settings}: short write of {n} of {buffer.Length} bytes; check wiring and power.");
        }
    }

    /// <inheritdoc/>
    public override unsafe void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length > ushort.MaxValue || readBuffer.Length > ushort.MaxValue)
            throw new ArgumentException("An i2c_msg carries at most 65535 bytes.");
        fixed (byte* w = writeBuffer)
        fixed (byte* r = readBuffer)
        {
            var messages = stackalloc I2cDev.i2c_msg[2];
            messages[0] = new I2cDev.i2c_msg { addr = (ushort)_settings.DeviceAddress, flags = 0, len = (ushort)writeBuffer.Length, buf = w };
            messages[1] = new I2cDev.i2c_msg { addr = (ushort)_settings.DeviceAddress, flags = I2cDev.I2C_M_RD, len = (ushort)readBuffer.Length, buf = r };
            var data = new I2cDev.i2c_rdwr_ioctl_data { msgs = messages, nmsgs = 2 };
            if (Libc.ioctl(_handle.Fd, I2cDev.I2C_RDWR, &data) < 0) throw Error("ioctl(I2C_RDWR)", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>A one-byte read that reports whether anything acknowledged, for bus scans.</summary>
    internal unsafe bool TryProbe(Span<byte> one)
    {
        fixed (byte* p = one) return Libc.read(_handle.Fd, p, 1) == 1;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) _handle.Dispose();
    }

    private IOException Error(string operation, int errno) =>
        DeviceErrors.Create($"{_handle.Path} (address 0x{_settings.DeviceAddress:X2})", operation, errno, UnixI2cBus.Hints);
}
