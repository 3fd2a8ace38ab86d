using System.Runtime.InteropServices;

namespace Gateway.DiskQueue.Interop;

internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);
}
