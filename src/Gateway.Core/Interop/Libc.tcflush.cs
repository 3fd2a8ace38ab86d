using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>tcflush(3): discards queued bytes (<see cref="TCIFLUSH"/>: received, not yet read). 0 or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "tcflush", SetLastError = true)]
    internal static partial int tcflush(int fd, int queue_selector);
}
