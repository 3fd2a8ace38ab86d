using System.Globalization;
using System.Text;

namespace Gateway.Devices.Tags;

/// <summary>
/// The last accepted frame counter of every tag this gateway has heard, persisted in the agent's state directory
/// (default <c>{state}/tags/counters</c>, one line <c>TAGID COUNTER</c> per tag) so that replay protection survives a
/// restart (DESIGN §6). Each accepted frame rewrites the file atomically before the reading is posted: a frame
/// is never accepted twice, even across a power cut, at the cost of one small write per frame (tags beacon every
/// tens of seconds, so the card sees a few writes a minute). Not thread-safe: owned by one radio source.
/// </summary>
public sealed class FrameCounterStore
{
    /// <summary>Where the file lives inside the agent's state directory, beside the key file.</summary>
    public const string DefaultRelativePath = "tags/counters";

    private readonly Dictionary<uint, uint> _counters = [];

    private FrameCounterStore(string path) => Path = path;

    /// <summary>The file the counters are loaded from and saved to.</summary>
    public string Path { get; }

    /// <summary>Tags with a stored counter, i.e. tags this gateway has accepted a frame from.</summary>
    public int Count => _counters.Count;

    /// <summary>The counter file's default location inside <paramref name="stateDirectory"/>.</summary>
    public static string DefaultPath(string stateDirectory) => System.IO.Path.Combine(stateDirectory, DefaultRelativePath);

    /// <summary>Loads the file, or an empty store when it does not exist. A damaged line stops start-up with its number.</summary>
    public static FrameCounterStore Load(string path)
    {
        var store = new FrameCounterStore(path);
        if (!File.Exists(path)) return store;
        foreach (var (lineNumber, parts) in TagFile.Records(path))
        {
            if (parts.Length != 2 || !TagKeyStore.TryParseTagId(parts[0], out var id)
                || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
            {
                // Refusing to start is right: guessing a counter would either reopen replays or reject a good tag.
                throw new InvalidDataException($"frame counter file {path} line {lineNumber} is damaged; restore it from a backup, or fix the line as 'TAGID COUNTER' with the tag's last counter");
            }
            store._counters[id] = counter;
        }
        return store;
    }

    /// <summary>The last accepted counter of a tag; false for a tag never heard here.</summary>
    public bool TryGet(uint tagId, out uint counter) => _counters.TryGetValue(tagId, out counter);

    /// <summary>Records an accepted counter and persists the whole table before returning.</summary>
    public void Accept(uint tagId, uint counter)
    {
        _counters[tagId] = counter;
        Save();
    }

    /// <summary>Forgets a tag (after it is removed from the key file and re-keyed, its counter may start again).</summary>
    public bool Forget(uint tagId)
    {
        if (!_counters.Remove(tagId)) return false;
        Save();
        return true;
    }

    private void Save()
    {
        var text = new StringBuilder("# Last accepted frame counter per tag (replay protection). Do not edit while the agent runs.\n");
        foreach (var (id, counter) in _counters.OrderBy(p => p.Key))
            text.Append(CultureInfo.InvariantCulture, $"{id:x8} {counter}\n");
        TagFile.Write(Path, text.ToString());
    }
}
