namespace Gateway.Configuration;

/// <summary>
/// Reads a secret (a store password, an API token, a bearer token) from a file that only its owner may read (DESIGN
/// §6: secrets are files readable only by the service's user, never in a config file, on a command line or in a log).
/// A file that group or others can read is refused before its content is read: the secret may already have leaked, and
/// a service that starts anyway teaches its operators that the mode does not matter. Every problem is one sentence that
/// names the file and says what to do; callers prefix it with the configuration key that named the file.
/// </summary>
public static class SecretFile
{
    /// <summary>A password or token is a line; anything bigger is the wrong file (a key, a dump).</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Group and others: any of these bits makes the file shared.</summary>
    private const UnixFileMode Shared = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The secret with surrounding white space (the newline an editor adds) removed.</summary>
    /// <exception cref="SecretFileException">Missing, shared, unreadable, empty or too large; the message says what to do.</exception>
    public static string Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new SecretFileException(path, $"{path} does not exist; create it with the secret on one line and mode 0600 (install -m 600 /dev/null {path}, then edit it)");
            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & Shared) != 0)
                throw new SecretFileException(path, $"{path} is readable by group or others (mode {Octal(info.UnixFileMode)}); run 'chmod 600 {path}' (owner: the service's user) and change the secret if others may have read it");
            if (info.Length > MaxBytes) throw new SecretFileException(path, $"{path} is {info.Length} bytes; a secret file holds one line (the password or token)");
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? throw new SecretFileException(path, $"{path} is empty; put the secret in it on one line") : text;
        }
        catch (Exception ex) when (ex is IOException and not SecretFileException or UnauthorizedAccessException)
        {
            throw new SecretFileException(path, $"{path} cannot be read ({ex.Message}); it must be owned by the service's user with mode 0600", ex);
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}

/// <summary>A secret file that cannot be used; <see cref="Exception.Message"/> names the file and what to do.</summary>
public sealed class SecretFileException(string path, string message, Exception? inner = null) : IOException(message, inner)
{
    /// <summary>The secret file's path as configured.</summary>
    public string Path { get; } = path;
}
