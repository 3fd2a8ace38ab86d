using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>write(2). Returns bytes written or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static unsafe partial nint write(int fd, byte* buf, nuint count);
}
