using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>cfsetspeed(3) (BSD, in glibc): sets input and output speed to a <c>B*</c> code. 0 or -1 (EINVAL).</summary>
    [LibraryImport(Library, EntryPoint = "cfsetspeed", SetLastError = true)]
    internal static unsafe partial int cfsetspeed(termios* termios_p, uint speed);
}
