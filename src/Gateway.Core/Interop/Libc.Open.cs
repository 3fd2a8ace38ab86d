using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    /// <summary>open(2) flags from the kernel's include/uapi/asm-generic/fcntl.h; O_CLOEXEC is the same on x86-64, arm64 and 32-bit ARM.</summary>
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);
}
