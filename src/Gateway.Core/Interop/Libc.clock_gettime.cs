using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    // <time.h>, include/uapi/linux/time.h
    internal const int CLOCK_MONOTONIC = 1;

    /// <summary>
    /// struct timespec as the <c>clock_gettime</c> symbol takes it: time_t and long are both the native word on every
    /// Linux ABI we run on (64-bit; and 32-bit ARM's legacy symbol, whose 32-bit time_t is ample for a monotonic clock
    /// that counts from boot).
    /// </summary>
#pragma warning disable CS8981 // the kernel's lower-case struct name, kept verbatim (STYLE.md habit 4)
    [StructLayout(LayoutKind.Sequential)]
    internal struct timespec
    {
        public nint tv_sec;
        public nint tv_nsec;
    }
#pragma warning restore CS8981

    /// <summary>clock_gettime(2). Returns 0, or -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    internal static unsafe partial int clock_gettime(int clockid, timespec* tp);
}
