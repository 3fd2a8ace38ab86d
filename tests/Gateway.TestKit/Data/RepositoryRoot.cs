namespace Gateway.TestKit.Data;

/// <summary>
/// The repository's root (where Gateway.sln is), for tests that read its shipped files (profiles, units, schemas,
/// READMEs), run its scripts, or use the binaries the build made. The one place that walks up from the test's output.
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>A folder of the repository, e.g. <c>firmware-config/profiles</c>; a missing one fails the test naming it.</summary>
    public static string Folder(string relative)
    {
        var folder = System.IO.Path.Combine(Path, relative);
        return Directory.Exists(folder) ? folder : throw new DirectoryNotFoundException($"{relative} is not in the repository at {Path}");
    }

    /// <summary>A file of the repository, e.g. <c>firmware-config/profiles/demo-checkpoint.json</c>; a missing one fails the test naming it.</summary>
    public static string FileAt(string relative)
    {
        var file = System.IO.Path.Combine(Path, relative);
        return File.Exists(file) ? file : throw new FileNotFoundException($"{relative} is not in the repository at {Path}", file);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Gateway.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Gateway.sln was not found above {AppContext.BaseDirectory}; run the tests from the repository's build output");
    }
}
