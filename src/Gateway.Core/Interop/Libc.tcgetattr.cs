using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>tcgetattr(3): reads the terminal settings. 0 or -1 with errno (ENOTTY: not a serial device).</summary>
    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    internal static unsafe partial int tcgetattr(int fd, termios* termios_p);
}
