using System.Collections.Frozen;
using System.Reflection;

namespace Gateway.Ingest.Dashboard;

/// <summary>The dashboard's files, embedded in the executable (no CDN, no internet: issue 7), loaded once.</summary>
public static class StaticAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Files = Load();

    public static bool TryGet(string name, out byte[] bytes, out string contentType)
    {
        if (Files.TryGetValue(name, out var f))
        {
            (bytes, contentType) = f;
            return true;
        }
        (bytes, contentType) = ([], "");
        return false;
    }

    public static IEnumerable<string> Names => Files.Keys;

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["wwwroot/".Length..];
            files[name] = (copy.ToArray(), Path.GetExtension(name) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                _ => "application/octet-stream",
            });
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
