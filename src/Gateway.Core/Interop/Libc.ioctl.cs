using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>ioctl(2) with a pointer argument (struct in/out). Request numbers are built with <see cref="IoctlNumber"/>.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static unsafe partial int ioctl(int fd, nuint request, void* argp);

    /// <summary>ioctl(2) with an integer argument (e.g. I2C_SLAVE's address).</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int ioctl(int fd, nuint request, nint arg);
}
