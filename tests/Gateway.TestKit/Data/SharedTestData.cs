namespace Gateway.TestKit.Data;

/// <summary>
/// Finds the team's shared test data (<c>shared/testdata/</c>, beside the repository: <c>../shared</c> from the repo
/// root) from wherever the tests run: a developer's work tree or CI's fresh clone. GATEWAY_SHARED_DIR overrides it.
/// A missing folder fails the test with a message; it never turns into a silently skipped test.
/// </summary>
public static class SharedTestData
{
    public static string Directory(string relative)
    {
        var overrideDir = Environment.GetEnvironmentVariable("GATEWAY_SHARED_DIR");
        if (!string.IsNullOrEmpty(overrideDir))
            return Existing(Path.Combine(overrideDir, "testdata", relative), "GATEWAY_SHARED_DIR");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", relative);
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"shared/testdata/{relative} was not found above {AppContext.BaseDirectory}; it lives beside the repository " +
            "(../shared from the repo root). Set GATEWAY_SHARED_DIR to the shared folder if it is elsewhere.");
    }

    private static string Existing(string path, string source) =>
        System.IO.Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"{path} (from {source}) does not exist.");
}
