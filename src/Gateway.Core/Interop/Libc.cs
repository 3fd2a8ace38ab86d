namespace Gateway.Core.Interop;

/// <summary>
/// Every Linux system call the gateway makes, one per file (<c>Libc.open.cs</c>, ...), with the kernel's names kept
/// verbatim so that a reader can look each up in its man page. Internal: only Gateway.Core (directory fsync) and
/// Gateway.Hardware (devices) see a raw file descriptor; drivers get abstract buses (STYLE.md habit 4). Errors become
/// exceptions through <see cref="SyscallError"/>, the one errno mapping.
/// </summary>
internal static partial class Libc
{
    internal const string Library = "libc";

    // <fcntl.h>, asm-generic/fcntl.h: the same values on x86_64, arm and arm64 (the Pi).
    internal const int O_RDONLY = 0x0;
    internal const int O_WRONLY = 0x1;
    internal const int O_RDWR = 0x2;
    internal const int O_NOCTTY = 0x100;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;

    // <errno.h> (asm-generic/errno-base.h, errno.h)
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int ENXIO = 6;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EBUSY = 16;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int ENOTTY = 25;
    internal const int ENOSPC = 28;
    internal const int ETIMEDOUT = 110;
    internal const int EREMOTEIO = 121;
    internal const int EDQUOT = 122;
}
