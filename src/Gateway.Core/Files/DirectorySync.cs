using Gateway.Core.Interop;

namespace Gateway.Core.Files;

/// <summary>
/// fsync(2) of a directory, which makes a file creation, rename or unlink in it durable (POSIX leaves that to the
/// directory's own fsync; ext4 and f2fs on an SD card honour it). .NET cannot open a directory as a file, hence libc.
/// </summary>
public static class DirectorySync
{
    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; a no-op off Linux.</summary>
    /// <exception cref="IOException">open(2) or fsync(2) failed; the message names the directory and the errno.</exception>
    public static void Sync(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        // O_DIRECTORY differs between architectures (asm-generic vs x86); O_RDONLY alone opens a directory everywhere.
        var fd = Libc.open(directory, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) throw Error("open", directory);
        try
        {
            if (Libc.fsync(fd) != 0) throw Error("fsync", directory);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static IOException Error(string call, string path) =>
        SyscallError.Last(path, call, "check that the directory exists and is writable by this service's user");
}
