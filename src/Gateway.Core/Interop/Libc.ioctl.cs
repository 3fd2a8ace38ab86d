using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>ioctl(2) with a pointer argument (struct in/out). Request numbers are _IOC encodings (asm-generic/ioctl.h), built by Gateway.Hardware's <c>IoctlNumber</c>.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int ioctl(int fd, nuint request, void* argp);

    /// <summary>ioctl(2) with an integer argument (e.g. I2C_SLAVE's address).</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int ioctl(int fd, nuint request, nint arg);
}
