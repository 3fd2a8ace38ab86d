using System.Runtime.InteropServices;
using Gateway.Core.Interop;

namespace Gateway.Hardware.Interop;

/// <summary>An open device file descriptor, closed exactly once (SafeHandle reference counting protects a descriptor
/// from being closed while a read on another thread still uses it).</summary>
internal sealed class DeviceHandle : SafeHandle
{
    private DeviceHandle(int fd, string path)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
        Path = path;
    }

    /// <summary>The device path, for messages.</summary>
    public string Path { get; }

    public int Fd => (int)handle;

    public override bool IsInvalid => handle == -1;

    /// <summary>
    /// Opens <paramref name="path"/> (always with O_CLOEXEC) or throws an <see cref="IOException"/> that names the device
    /// and, through <paramref name="hints"/>, what to do about it.
    /// </summary>
    public static DeviceHandle Open(string path, int flags, DeviceErrorHints hints)
    {
        var fd = Libc.open(path, flags | Libc.O_CLOEXEC);
        if (fd < 0) throw DeviceErrors.Create(path, "open", Marshal.GetLastPInvokeError(), hints);
        return new DeviceHandle(fd, path);
    }

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
