namespace Gateway.Core.Files;

/// <summary>
/// The file-system calls <see cref="AtomicFile"/> makes, one method a system call, so that a test can record their
/// order or fail one of them (a subclass overrides and calls the base). <see cref="Instance"/> is the real thing.
/// </summary>
public class FileSystemCalls
{
    /// <summary>The real calls.</summary>
    public static FileSystemCalls Instance { get; } = new();

    /// <summary>open(2) with O_CREAT|O_TRUNC|O_WRONLY, created with <paramref name="mode"/> (umask still applies).</summary>
    public virtual FileStream Create(string path, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        return new FileStream(path, options);
    }

    /// <summary>fchmod(2): a temp file left by a crash keeps its old mode when re-created, so the mode is set again.</summary>
    public virtual void SetMode(FileStream file, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file.SafeFileHandle, mode);
    }

    /// <summary>write(2) of the whole content (the stream is unbuffered).</summary>
    public virtual void Write(FileStream file, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Write(content);
    }

    /// <summary>fsync(2) of the file.</summary>
    public virtual void FlushToDisk(FileStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Flush(flushToDisk: true);
    }

    /// <summary>rename(2), which replaces <paramref name="destination"/> atomically within one file system.</summary>
    public virtual void Rename(string source, string destination) => File.Move(source, destination, overwrite: true);

    /// <summary>fsync(2) of the directory, which makes the rename durable.</summary>
    public virtual void SyncDirectory(string directory) => DirectorySync.Sync(directory);

    /// <summary>unlink(2), ignoring a file that is already gone or cannot be removed (cleanup after a failure).</summary>
    public virtual void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
