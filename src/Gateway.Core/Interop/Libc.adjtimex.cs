using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    // <sys/timex.h>, include/uapi/linux/timex.h: the clock states adjtimex(2) returns.
    internal const int TIME_OK = 0;
    internal const int TIME_INS = 1;
    internal const int TIME_DEL = 2;
    internal const int TIME_OOP = 3;
    internal const int TIME_WAIT = 4;
    internal const int TIME_ERROR = 5;

    /// <summary>
    /// The size we pass for struct timex: the kernel's struct is 208 bytes on 64-bit ABIs and 128 on 32-bit ARM (it ends
    /// in eleven reserved ints). A zeroed buffer at least that large with <c>modes = 0</c> is a read-only query, so the
    /// fields need not be declared: only the return value is used.
    /// </summary>
    internal const int TimexBufferSize = 256;

    /// <summary>
    /// adjtimex(2) with <c>modes = 0</c>: reads the kernel clock's discipline state. Returns TIME_OK..TIME_ERROR, or -1
    /// with errno set. TIME_ERROR means STA_UNSYNC (or STA_CLOCKERR) is set: no NTP daemon (ntpd, chrony,
    /// systemd-timesyncd) has told the kernel that the clock is synchronised.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "adjtimex", SetLastError = true)]
    internal static unsafe partial int adjtimex(byte* buf);
}
