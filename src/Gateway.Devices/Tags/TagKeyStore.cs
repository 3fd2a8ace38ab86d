using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Devices.Tags;

/// <summary>One provisioned tag: its id, its AES-128 key and when it was added.</summary>
public sealed record TagKeyEntry(uint TagId, byte[] Key, DateTimeOffset Added)
{
    /// <summary>The tag id as 8 lowercase hex digits, as the key file, the CLI and the <c>tag</c> tag write it.</summary>
    public string TagHex => TagId.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>A short, non-secret fingerprint for listings (the first 4 bytes of SHA-256 of the key).</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Key).AsSpan(0, 4));

    /// <summary>Never print the key by accident (DESIGN §6: keys are never logged).</summary>
    public override string ToString() => $"tag {TagHex} (key fingerprint {Fingerprint})";
}

/// <summary>
/// The tag key file in the agent's state directory (default <c>{state}/tags/keys</c>): one line per tag,
/// <c>TAGID KEYHEX ADDED</c>, e.g. <c>0000a1b2 00112233445566778899aabbccddeeff 2026-01-01T00:00:00Z</c>; lines
/// starting with # are comments. The file must be readable only by its owner (mode 0600, DESIGN §6): a key file that
/// others can read is refused, as ssh refuses a readable private key. Keys come from a secure RNG and never appear in
/// logs or in <see cref="TagKeyEntry.ToString"/>.
/// </summary>
public sealed class TagKeyStore
{
    /// <summary>Where the key file lives inside the agent's state directory.</summary>
    public const string DefaultRelativePath = "tags/keys";

    private readonly Dictionary<uint, TagKeyEntry> _entries = [];

    private TagKeyStore(string path) => Path = path;

    /// <summary>The key file this store was loaded from and <see cref="Save"/> writes.</summary>
    public string Path { get; }

    /// <summary>Every provisioned tag, ordered by id (a copy: changing the store does not change it).</summary>
    public IReadOnlyCollection<TagKeyEntry> Entries => [.. _entries.Values.OrderBy(e => e.TagId)];

    /// <summary>Provisioned tags.</summary>
    public int Count => _entries.Count;

    /// <summary>The key file's default location inside a state directory.</summary>
    public static string DefaultPath(string stateDirectory) => System.IO.Path.Combine(stateDirectory, DefaultRelativePath);

    /// <summary>Loads the file, or an empty store when it does not exist yet. Throws with what to fix otherwise.</summary>
    public static TagKeyStore Load(string path)
    {
        var store = new TagKeyStore(path);
        if (!File.Exists(path)) return store;
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                throw new IOException($"tag key file {path} is accessible to other users (mode {Octal(mode)}); run 'chmod 600 {path}' (and check who may have read it)");
        }
        foreach (var (lineNumber, parts) in TagFile.Records(path))
        {
            if (parts.Length is < 2 or > 3 || !TryParseTagId(parts[0], out var id) || !TryParseKey(parts[1], out var key))
                throw new InvalidDataException($"tag key file {path} line {lineNumber}: expected 'TAGID(8 hex) KEY(32 hex) [ADDED]'; fix or remove the line");
            var added = parts.Length == 3 && DateTimeOffset.TryParse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a) ? a : DateTimeOffset.UnixEpoch;
            if (!store._entries.TryAdd(id, new TagKeyEntry(id, key, added)))
                throw new InvalidDataException($"tag key file {path} line {lineNumber}: tag {parts[0]} is listed twice; remove one line");
        }
        return store;
    }

    /// <summary>The entry of <paramref name="tagId"/>; false when that tag has no key here (its frames are dropped as unknown).</summary>
    public bool TryGet(uint tagId, out TagKeyEntry entry) => _entries.TryGetValue(tagId, out entry!);

    /// <summary>Adds a tag with a fresh random key (RandomNumberGenerator, a CSPRNG). Throws when the tag exists.</summary>
    public TagKeyEntry Add(uint tagId, DateTimeOffset now) => Add(tagId, RandomNumberGenerator.GetBytes(AesCmac.BlockSize), now);

    /// <summary>Adds a tag with a given key (a tag that came with its key). Throws when the tag exists.</summary>
    public TagKeyEntry Add(uint tagId, byte[] key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != AesCmac.BlockSize) throw new ArgumentException("A tag key is 16 bytes (AES-128).", nameof(key));
        var entry = new TagKeyEntry(tagId, key, now);
        if (!_entries.TryAdd(tagId, entry))
            throw new InvalidOperationException($"tag {entry.TagHex} already has a key; remove it first to re-key the tag");
        return entry;
    }

    /// <summary>Forgets the tag's key in memory (false when it had none); <see cref="Save"/> makes it permanent.</summary>
    public bool Remove(uint tagId) => _entries.Remove(tagId);

    /// <summary>Writes the file atomically with mode 0600.</summary>
    public void Save()
    {
        var text = new StringBuilder("# Asset tag keys: TAGID KEY ADDED. Secret: mode 0600, never copy into a profile or a ticket.\n");
        foreach (var e in _entries.Values.OrderBy(e => e.TagId))
            text.Append(CultureInfo.InvariantCulture, $"{e.TagHex} {Convert.ToHexStringLower(e.Key)} {e.Added.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
        TagFile.Write(Path, text.ToString());
    }

    /// <summary>Parses a tag id: 1-8 hex digits, optionally with 0x.</summary>
    public static bool TryParseTagId(string text, out uint id)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        id = 0;
        return s.Length is > 0 and <= 8 && uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
    }

    /// <summary>Parses a 16-byte key written as 32 hex digits.</summary>
    public static bool TryParseKey(string text, out byte[] key)
    {
        key = [];
        if (text is null || text.Length != 2 * AesCmac.BlockSize) return false;
        try
        {
            key = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
