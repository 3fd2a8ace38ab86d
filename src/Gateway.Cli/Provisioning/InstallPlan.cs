using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Cli.Provisioning;

/// <summary>How an item is applied by <see cref="RemoteScripts.Apply"/>.</summary>
public enum ItemKind
{
    Dir,
    File,
    /// <summary>A boot-partition file: backed up before it is replaced; owners and modes do not apply (FAT).</summary>
    Boot,
    Link,
    Delete,
    /// <summary>A .deb installed with dpkg after it is copied (first of all changes: the package owns the user and the unit).</summary>
    Package,
}

/// <summary>One thing the target should have. Owner is root, gateway or root:gateway (resolved on the target).</summary>
public sealed record DesiredItem(ItemKind Kind, string Path, int Mode, string Owner, byte[]? Content = null, string? LinkTarget = null)
{
    public string Sha256 => Content is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>
/// The difference between what the target should hold and what the probe found. Only changed files travel over the
/// link, which is what makes a second run send nothing and change nothing.
/// </summary>
public sealed class InstallPlan
{
    private InstallPlan(IReadOnlyList<DesiredItem> changes, IReadOnlyList<DesiredItem> dirs, int unchanged)
    {
        Changes = changes;
        Dirs = dirs;
        Unchanged = unchanged;
    }

    public IReadOnlyList<DesiredItem> Changes { get; }
    public IReadOnlyList<DesiredItem> Dirs { get; }
    public int Unchanged { get; }
    public long Bytes => Changes.Sum(c => (long)(c.Content?.Length ?? 0));

    /// <summary>Compares; <paramref name="ownedTrees"/> are directories whose files not in <paramref name="desired"/> are deleted.</summary>
    public static InstallPlan Create(IReadOnlyList<DesiredItem> desired, ProbeResult probe, IReadOnlyList<string> ownedTrees)
    {
        var ids = probe.GatewayIds;
        var changes = new List<DesiredItem>();
        var unchanged = 0;
        foreach (var item in desired.Where(d => d.Kind != ItemKind.Dir))
        {
            var same = item.Kind switch
            {
                ItemKind.Link => probe.Links.TryGetValue(item.Path, out var target) && target == item.LinkTarget,
                ItemKind.Boot or ItemKind.Package => probe.Files.TryGetValue(item.Path, out var b) && b.Sha256 == item.Sha256,
                _ => probe.Files.TryGetValue(item.Path, out var f) && f.Sha256 == item.Sha256 && f.Mode == item.Mode && ids is { } i && OwnerMatches(item.Owner, f, i),
            };
            if (same) unchanged++;
            else changes.Add(item);
        }
        var wanted = desired.Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in probe.Files.Keys.Where(p => !wanted.Contains(p) && ownedTrees.Any(t => p.StartsWith(t + "/", StringComparison.Ordinal))).Order(StringComparer.Ordinal))
            changes.Add(new DesiredItem(ItemKind.Delete, stale, 0, "root"));
        changes = [.. changes.Where(c => c.Kind == ItemKind.Package), .. changes.Where(c => c.Kind != ItemKind.Package)];
        return new InstallPlan(changes, desired.Where(d => d.Kind == ItemKind.Dir).ToList(), unchanged);
    }

    /// <summary>The tar stream for <see cref="RemoteScripts.Apply"/>: MANIFEST, then f/0, f/1... (caller disposes).</summary>
    public MemoryStream ToTar()
    {
        var stream = new MemoryStream();
        var manifest = new StringBuilder();
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            var index = 0;
            foreach (var item in Dirs.Concat(Changes))
            {
                var kind = item.Kind.ToString().ToLowerInvariant();
                var mode = Convert.ToString(item.Mode, 8);
                var idx = item.Kind == ItemKind.Link ? item.LinkTarget! : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                manifest.Append(kind).Append(' ').Append(mode).Append(' ').Append(item.Owner).Append(' ').Append(idx).Append(' ').Append(item.Path).Append('\n');
                if (item.Content is not null)
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, $"f/{index}") { DataStream = new MemoryStream(item.Content) };
                    tar.WriteEntry(entry);
                }
                index++;
            }
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "MANIFEST") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest.ToString())) });
        }
        stream.Position = 0;
        return stream;
    }

    private static bool OwnerMatches(string owner, RemoteFile f, (int Uid, int Gid) gateway) => owner switch
    {
        "root" => f.Uid == 0 && f.Gid == 0,
        "gateway" => f.Uid == gateway.Uid && f.Gid == gateway.Gid,
        _ => f.Uid == 0 && f.Gid == gateway.Gid,
    };
}
