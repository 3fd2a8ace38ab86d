using System.Runtime.InteropServices;

namespace Gateway.DiskQueue.Interop;

/// <summary>
/// fsync(2) of a directory, which makes a file creation, rename or unlink in it durable (POSIX leaves that to the
/// directory's own fsync; ext4 and f2fs on an SD card honour it). .NET cannot open a directory as a file, hence libc.
/// </summary>
internal static class DirectorySync
{
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

    private static IOException Error(string call, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({path}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}); check that the journal directory exists and is writable by the agent's user.");
    }
}
