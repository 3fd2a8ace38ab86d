using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    // <sys/eventfd.h>: the same values as O_CLOEXEC and O_NONBLOCK.
    internal const int EFD_CLOEXEC = 0x80000;
    internal const int EFD_NONBLOCK = 0x800;

    /// <summary>
    /// eventfd(2): a descriptor holding a 64-bit counter; readable (POLLIN) while the counter is not zero. A write of
    /// 8 bytes adds to it, a read of 8 bytes returns it and resets it. Returns the descriptor or -1 with errno set.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int eventfd(uint initval, int flags);
}
