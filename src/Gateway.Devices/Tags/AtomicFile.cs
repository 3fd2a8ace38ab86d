using System.Text;

namespace Gateway.Devices.Tags;

/// <summary>
/// Replaces a small state file so that a power cut leaves either the old or the new content, never a torn mix: write a
/// temporary file beside it with the final mode, flush it to the card (fsync), then rename over the old one (rename(2)
/// is atomic within a file system).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Owner read/write only: secrets and replay state are the agent's alone (DESIGN §6).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void WriteAllText(string path, string content, UnixFileMode mode = OwnerOnly)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                // UnixCreateMode applies only to a new file; a stale temp file keeps its mode, so set it again.
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, mode);
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
