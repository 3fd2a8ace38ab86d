using Gateway.Core.Files;

namespace Gateway.Devices.Tags;

/// <summary>
/// The line format the tag state files share (<see cref="TagKeyStore"/>'s keys, <see cref="FrameCounterStore"/>'s
/// counters): one record per line, fields separated by spaces, blank lines and lines starting with # skipped; written
/// whole, atomically, readable by the owner only (both hold what replay protection rests on).
/// </summary>
internal static class TagFile
{
    /// <summary>The records of <paramref name="path"/> with their 1-based line numbers, for messages that name the line.</summary>
    public static IEnumerable<(int LineNumber, string[] Fields)> Records(string path)
    {
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            yield return (lineNumber, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    /// <summary>Replaces the file with <paramref name="text"/> (AtomicFile: fsynced, mode 0600), creating its folder.</summary>
    public static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, text, AtomicFile.OwnerOnly);
    }
}
