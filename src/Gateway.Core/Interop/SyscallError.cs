using System.Runtime.InteropServices;

namespace Gateway.Core.Interop;

/// <summary>
/// The one mapping from a failed system call to an exception: an <see cref="IOException"/> whose message names what
/// was used, the call, the errno by its kernel name and number, and what to do next (STYLE.md habit 9), and whose
/// <see cref="Exception.HResult"/> is the errno, as .NET's own IOExceptions carry it on Unix.
/// </summary>
internal static class SyscallError
{
    /// <summary>The exception for <paramref name="errno"/>: "<c>{subject}: {call} failed with ENOENT (errno 2); {advice}</c>".</summary>
    public static IOException Create(string subject, string call, int errno, string advice) =>
        new($"{subject}: {call} failed with {Name(errno)} (errno {errno}); {advice}", errno);

    /// <summary><see cref="Create"/> with the errno the last P/Invoke left (<c>SetLastError = true</c>).</summary>
    public static IOException Last(string subject, string call, string advice) =>
        Create(subject, call, Marshal.GetLastPInvokeError(), advice);

    /// <summary>The kernel's name of <paramref name="errno"/>, or <c>errno N</c> for one this code never expects.</summary>
    public static string Name(int errno) => errno switch
    {
        Libc.EPERM => "EPERM",
        Libc.ENOENT => "ENOENT",
        Libc.EINTR => "EINTR",
        Libc.EIO => "EIO",
        Libc.ENXIO => "ENXIO",
        Libc.EAGAIN => "EAGAIN",
        Libc.EACCES => "EACCES",
        Libc.EBUSY => "EBUSY",
        Libc.ENODEV => "ENODEV",
        Libc.EINVAL => "EINVAL",
        Libc.ENOTTY => "ENOTTY",
        Libc.ENOSPC => "ENOSPC",
        Libc.ETIMEDOUT => "ETIMEDOUT",
        Libc.EREMOTEIO => "EREMOTEIO",
        Libc.EDQUOT => "EDQUOT",
        _ => $"errno {errno}",
    };
}
