using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>read(2). Returns bytes read, 0 at end of file, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static unsafe partial nint read(int fd, byte* buf, nuint count);
}
