namespace Gateway.TestKit.Data;

/// <summary>The repository's root (where Gateway.sln is), for tests that run its scripts and the binaries the build made.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Gateway.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Gateway.sln was not found above {AppContext.BaseDirectory}; run the tests from the repository's build output");
    }
}
