using Gateway.Core.Interop;

namespace Gateway.Core.Files;

/// <summary>What a failed file operation means, for the callers that act on it rather than report it.</summary>
public static class FileErrors
{
    /// <summary>
    /// The file system is full: ENOSPC (no blocks or no inodes left) or EDQUOT (the user's quota). .NET puts the raw
    /// errno in <see cref="Exception.HResult"/> of the <see cref="IOException"/> it throws on Unix, as
    /// <see cref="SyscallError"/> does for ours.
    /// </summary>
    public static bool IsNoSpace(IOException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.HResult is Libc.ENOSPC or Libc.EDQUOT;
    }
}
