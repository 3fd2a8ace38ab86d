using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>tcsetattr(3): applies terminal settings (<see cref="TCSANOW"/>: at once). 0 or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    internal static unsafe partial int tcsetattr(int fd, int optional_actions, termios* termios_p);
}
