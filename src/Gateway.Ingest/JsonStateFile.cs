using System.Text.Json;
using Gateway.Core.Files;

namespace Gateway.Ingest;

/// <summary>
/// The central service's state files (fleet state, asset registry, alerts, accounts edited on the dashboard): JSON in
/// the state directory, replaced crash-atomically and durably (<see cref="AtomicFile"/>), so a crash never leaves half
/// a file. What an unreadable file means is each caller's decision (start empty, or refuse to start), so reading
/// reports the error instead of acting on it.
/// </summary>
internal static class JsonStateFile
{
    public static void Write<T>(string path, T state, JsonSerializerOptions json, UnixFileMode mode)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(state, json), mode);
    }

    /// <summary>
    /// Reads a saved state. False with a null <paramref name="error"/> when there is no file yet; false with the error
    /// when the file cannot be read or is not the expected JSON; true otherwise (<paramref name="state"/> is null only
    /// for a file holding JSON <c>null</c>).
    /// </summary>
    public static bool TryRead<T>(string path, JsonSerializerOptions json, out T? state, out Exception? error)
    {
        state = default;
        error = null;
        if (!File.Exists(path)) return false;
        try
        {
            state = JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), json);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            error = ex;
            return false;
        }
    }
}
