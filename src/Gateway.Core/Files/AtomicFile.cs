using System.Text;

namespace Gateway.Core.Files;

/// <summary>
/// Replaces a file so that a crash or a power cut leaves either the old or the new content, never a torn mix or an
/// empty file, and so that the new content is on the card when the call returns: write <c>{path}.tmp</c> with the
/// final mode, fsync it, rename(2) it over the target path (atomic within a file system), fsync the directory
/// (without it the rename itself may be lost in a power cut, and a replay counter or a journal cursor go back).
/// The one implementation of that sequence in the tree (STYLE.md habit 16).
/// </summary>
/// <remarks>
/// One writer per path: the temp name is fixed (<c>{path}.tmp</c>) so that a leftover of a crash is recognisable and
/// is simply overwritten by the next write. On failure the temp file is removed and the old file is untouched.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Owner read/write only: secrets, keys and replay state (DESIGN §6).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write, everyone read (0644): state that other tools may read.</summary>
    public const UnixFileMode Readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The temporary file beside <paramref name="path"/> that a write goes through.</summary>
    public static string TempPath(string path) => path + ".tmp";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> as UTF-8.</summary>
    public static void WriteAllText(string path, string content, UnixFileMode mode, FileSystemCalls? calls = null) =>
        WriteAllBytes(path, Encoding.UTF8.GetBytes(content), mode, calls);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>. The directory must exist: creating
    /// it is the caller's decision (a vanished /run directory, say, is not to be re-created).</summary>
    /// <param name="path">The file to replace; relative paths are made absolute first.</param>
    /// <param name="content">The complete new content.</param>
    /// <param name="mode">The file's mode, set on the temp file before any byte is written, so the content is never
    /// readable with a wider mode (<see cref="OwnerOnly"/> for secrets).</param>
    /// <param name="calls">The file-system calls; <see cref="FileSystemCalls.Instance"/> unless a test records them.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode mode, FileSystemCalls? calls = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        calls ??= FileSystemCalls.Instance;
        path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(path)!;
        var temp = TempPath(path);
        try
        {
            using (var file = calls.Create(temp, mode))
            {
                calls.SetMode(file, mode);
                calls.Write(file, content);
                calls.FlushToDisk(file);
            }
            calls.Rename(temp, path);
        }
        catch
        {
            calls.TryDelete(temp);
            throw;
        }
        calls.SyncDirectory(directory);
    }
}
