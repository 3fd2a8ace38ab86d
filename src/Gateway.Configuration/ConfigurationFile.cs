using System.Text.Json;

namespace Gateway.Configuration;

/// <summary>
/// The one way a configuration file is read and parsed, for the agent's profile and the central configuration alike:
/// bounded in size, whole, checked as UTF-8, parsed with <see cref="StrictJson"/> (comments allowed, duplicate keys
/// refused), every failure one configuration error (<see cref="IConfigurationError{TError}"/>) that names the file and what to do. The reader on top
/// (<see cref="JsonSection{TError}"/>) then names each bad key.
/// </summary>
public static class ConfigurationFile
{
    /// <summary>Nesting bound for hand-edited configuration (hostile input: DESIGN §6).</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// The bytes of <paramref name="path"/>. <paramref name="missingHint"/> says where a valid file comes from, e.g.
    /// "pass an existing file with --profile (samples are in firmware-config/profiles/)".
    /// </summary>
    public static byte[] Read<TError>(string path, int maxBytes, string missingHint) where TError : Exception, IConfigurationError<TError>
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw TError.Whole($"{TError.Noun} {path} does not exist; {missingHint}", new FileNotFoundException(path));
            if (info.Length > maxBytes) throw TError.Create(Path.GetFileName(path), "(file)", $"is {info.Length} bytes; a {TError.Noun} is at most {maxBytes}");
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw TError.Whole($"{TError.Noun} {path} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>Parses <paramref name="json"/> (the caller disposes the document); <paramref name="fileName"/> is for messages.</summary>
    public static JsonDocument Parse<TError>(ReadOnlySpan<byte> json, string fileName) where TError : Exception, IConfigurationError<TError>
    {
        // System.Text.Json checks UTF-8 only when a string is read, and then throws InvalidOperationException;
        // checking the whole file first gives one clear message instead.
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw TError.Whole($"{TError.Noun} {fileName}: not valid UTF-8 text; save it as UTF-8", new FormatException("invalid UTF-8"));
        try
        {
            return StrictJson.Parse(json, MaxDepth, lenient: true);
        }
        catch (JsonException ex)
        {
            throw TError.Whole($"{TError.Noun} {fileName}: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }
}
