using Gateway.Core.Interop;
using Gateway.Hardware.Interop;

namespace Gateway.Hardware.Clock;

/// <summary>
/// Whether the kernel considers the system clock synchronised: the signal the agent waits for before trusting the
/// system clock as a time source (DESIGN §4.2). A Pi restores its clock from fake-hwclock at boot, hours or days
/// behind after a power cut; only once an NTP client has reached a server does the kernel clear STA_UNSYNC, and
/// adjtimex(2) stops returning TIME_ERROR. This is the same test as <c>timedatectl</c>'s "System clock synchronized"
/// and chrony's <c>waitsync</c>.
/// </summary>
public static class KernelClock
{
    /// <summary>True when adjtimex(2) reports the clock synchronised (any state but TIME_ERROR).</summary>
    /// <exception cref="IOException">adjtimex failed (not Linux, or a seccomp filter refused it); the message says so.</exception>
    public static unsafe bool IsSynchronized()
    {
        if (!OperatingSystem.IsLinux())
            throw new IOException("adjtimex(2) exists only on Linux; set time.systemClock to 'always' or time.source to 'gps' in the profile");
        byte* timex = stackalloc byte[Libc.TimexBufferSize];
        new Span<byte>(timex, Libc.TimexBufferSize).Clear();
        int state = Libc.adjtimex(timex);
        if (state < 0)
        {
            throw SyscallError.Last("the system clock", "adjtimex(2)", "the agent cannot tell whether the system clock is synchronised. " +
                "If the agent's systemd unit forbids it (ProtectClock=, SystemCallFilter=~@clock), allow adjtimex (the agent only reads the clock's state), or set time.systemClock to 'always' in the profile");
        }
        return state != Libc.TIME_ERROR;
    }
}
