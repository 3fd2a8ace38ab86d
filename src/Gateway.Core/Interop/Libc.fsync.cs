using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>fsync(2): flushes a file's (or a directory's entries') data to the disk. 0 or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    internal static partial int fsync(int fd);
}
