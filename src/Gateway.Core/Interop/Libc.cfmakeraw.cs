using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>cfmakeraw(3): raw mode: no echo, no line editing, no CR/LF translation, no signals from bytes.</summary>
    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    internal static unsafe partial void cfmakeraw(termios* termios_p);
}
