using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

internal static partial class Libc
{
    // <poll.h>
    internal const short POLLIN = 0x001;
    internal const short POLLOUT = 0x004;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    /// <summary>struct pollfd (poll.h): 8 bytes on every Linux ABI.</summary>
#pragma warning disable CS8981 // the kernel's lower-case struct name, kept verbatim (STYLE.md habit 4)
    [StructLayout(LayoutKind.Sequential)]
    internal struct pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }
#pragma warning restore CS8981

    /// <summary>poll(2). Returns the number of ready descriptors, 0 on timeout, -1 with errno set.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int poll(pollfd* fds, nuint nfds, int timeout);
}
